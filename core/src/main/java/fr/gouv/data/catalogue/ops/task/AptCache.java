package fr.gouv.data.catalogue.ops.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.remote.Command;
import java.time.Duration;
import java.util.Set;

/** apt's package lists refreshed, unless they are younger than {@code maxAge} (Ansible's cache_valid_time). */
public record AptCache(Duration maxAge, Set<String> tags) implements Task {
    public AptCache {
        tags = Set.copyOf(tags);
    }

    @Override
    public String name() {
        return "apt cache";
    }

    /** Prints now and the newest list's time, in seconds since the epoch (0 when there is none). */
    static Command probeCommand() {
        return Command.of("sh", "-c", "date +%s; find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -printf '%T@\\n'"
                + " | sort -n | tail -1 | cut -d. -f1 | grep . || echo 0");
    }

    static Command updateCommand() {
        return Command.of("apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=60");
    }

    @Override
    public java.util.List<Command> probes(HostContext host) {
        return java.util.List.of(probeCommand());
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        String[] out = host.runOk(probeCommand()).stdout().strip().split("\n");
        long age = Long.parseLong(out[0].strip()) - Long.parseLong(out[out.length - 1].strip());
        if (out.length > 1 && !out[1].strip().equals("0") && age <= maxAge.toSeconds()) {
            return Change.none();
        }
        return Change.of("apt-get update (lists " + (out[1].strip().equals("0") ? "missing" : age + " s old") + ")",
                h -> h.runOk(updateCommand()));
    }
}
