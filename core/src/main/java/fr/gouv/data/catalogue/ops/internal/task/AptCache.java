package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import java.time.Duration;
import java.util.Set;

/**
 * apt's package lists refreshed, unless they are younger than {@code maxAge} (Ansible's
 * cache_valid_time). While another apt holds the lists' lock (a run still going, an aborted run's
 * update still finishing on the host), the update is retried for up to {@code lockWait}: apt
 * itself gives up on that lock at once, whatever {@code DPkg::Lock::Timeout} says.
 */
public record AptCache(Duration maxAge, Set<String> tags, Duration lockWait) implements Task {
    /** Between two tries while the lists' lock is held. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(2);

    public AptCache {
        tags = Set.copyOf(tags);
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("lockWait must not be negative: " + lockWait);
        }
    }

    public AptCache(Duration maxAge, Set<String> tags) {
        this(maxAge, tags, Duration.ofSeconds(Packages.LOCK_WAIT_SECONDS));
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

    /** apt refused because another process holds one of its locks (it says so in its errors; no exit code tells). */
    static boolean lockHeld(ExecResult r) {
        String err = r.stderr();
        return !r.ok() && (err.contains("Could not get lock") || err.contains("Unable to lock")
                || err.contains("Unable to acquire the dpkg frontend lock"));
    }

    @Override
    public java.util.List<Command> probes(HostContext host) {
        return java.util.List.of(probeCommand());
    }

    /** Now and the newest list's time, from {@link #probeCommand}'s two lines of seconds. */
    static long[] parseTimes(Command probe, ExecResult answer) throws TaskFailure {
        String[] lines = answer.stdout().strip().split("\n");
        if (lines.length != 2 || !lines[0].strip().matches("[0-9]{1,18}") || !lines[1].strip().matches("[0-9]{1,18}")) {
            throw TaskFailure.unexpectedAnswer(probe, answer);
        }
        return new long[] {Long.parseLong(lines[0].strip()), Long.parseLong(lines[1].strip())};
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Command probe = probeCommand();
        long[] times = parseTimes(probe, host.runOk(probe));
        boolean missing = times[1] == 0;
        long age = times[0] - times[1];
        if (!missing && age <= maxAge.toSeconds()) {
            return Change.none();
        }
        return Change.of("apt-get update (lists " + (missing ? "missing" : age + " s old") + ")", this::update);
    }

    private void update(HostContext h) throws OpsException {
        long giveUpAt = System.nanoTime() + lockWait.toNanos();
        while (true) {
            ExecResult r = h.run(updateCommand());
            if (r.ok()) {
                return;
            }
            long left = giveUpAt - System.nanoTime();
            if (!lockHeld(r) || left <= 0) {
                String why = HostContext.lastLine(r);
                throw new TaskFailure("apt-get update failed (exit " + r.exitCode() + "): " + why + (lockHeld(r)
                        ? " (another apt has held the lock for " + lockWait.toSeconds() + " s; wait for it and run again)"
                        : ""));
            }
            try {
                // the last try comes when the wait is up, not before
                Thread.sleep(Math.max(1, Math.min(RETRY_EVERY.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TaskFailure.aborted("the run was aborted while `" + updateCommand() + "` waited for another apt to release"
                        + " the package lists' lock");
            }
        }
    }
}
