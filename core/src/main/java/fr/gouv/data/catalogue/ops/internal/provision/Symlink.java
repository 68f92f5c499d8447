package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import java.util.List;
import java.util.Set;

/** Symbolic links (as root) whose targets depend on the host, e.g. {@code /usr/local/bin/node} into nvm's Node. */
record Symlink(String name, Links links, Set<String> tags) implements Task {
    /** Link path to target, for a host. */
    @FunctionalInterface
    interface Links {
        java.util.Map<String, String> of(HostContext host) throws OpsException;
    }

    Symlink {
        tags = Set.copyOf(tags);
    }

    static Command probeCommand(String path) {
        return Command.of("readlink", "--", path);
    }

    static Command linkCommand(String target, String path) {
        return Command.of("ln", "-sfn", "--", target, path);
    }

    @Override
    public List<Command> probes(HostContext host) throws OpsException {
        return links.of(host).keySet().stream().map(Symlink::probeCommand).toList();
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        List<Command> missing = new java.util.ArrayList<>();
        List<String> what = new java.util.ArrayList<>();
        for (var link : links.of(host).entrySet()) {
            ExecResult now = host.run(probeCommand(link.getKey()));
            if (!now.ok() || !now.stdout().strip().equals(link.getValue())) {
                missing.add(linkCommand(link.getValue(), link.getKey()));
                what.add(link.getKey() + " -> " + link.getValue());
            }
        }
        if (missing.isEmpty()) {
            return Change.none();
        }
        return Change.of("link " + String.join(", ", what), h -> {
            for (Command c : missing) {
                h.runOk(c);
            }
        });
    }
}
