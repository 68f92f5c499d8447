package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A named entry in a user's crontab, marked as Ansible's cron module marks it ({@code #Ansible: NAME}
 * above the line), so that entries the original playbook made are recognized and kept single.
 */
public record CronEntry(String entry, String schedule, String job, String user, Set<String> tags) implements Task {
    public CronEntry {
        if (entry.contains("\n") || schedule.contains("\n") || job.contains("\n") || !user.matches("[a-z_][a-z0-9_-]*")) {
            throw new IllegalArgumentException("cron entry, schedule and job are one line each; user a login name");
        }
        tags = Set.copyOf(tags);
    }

    @Override
    public String name() {
        return "cron " + entry;
    }

    static String marker(String entry) {
        return "#Ansible: " + entry;
    }

    /** The crontab with this entry set: replaced in place when marked already, else appended. */
    static String withEntry(String crontab, String entry, String line) {
        List<String> lines = new ArrayList<>(crontab.isEmpty() ? List.of() : List.of(crontab.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int at = lines.indexOf(marker(entry));
        if (at >= 0 && at + 1 < lines.size()) {
            lines.set(at + 1, line);
        } else if (at >= 0) {
            lines.add(line);
        } else {
            lines.add(marker(entry));
            lines.add(line);
        }
        return String.join("\n", lines) + "\n";
    }

    @Override
    public List<Command> probes(HostContext host) {
        return List.of(listCommand(user));
    }

    static Command listCommand(String user) {
        return Command.of("crontab", "-l", "-u", user);
    }

    static Command installCommand(String user) {
        return Command.of("crontab", "-u", user, "-");
    }

    /**
     * A user's crontab as {@code crontab -l} listed it; {@code cronMissing} when there is no
     * crontab command at all (cron not installed, or not yet: in check mode the task that installs
     * it only said it would).
     */
    record Listing(String crontab, boolean cronMissing) {
        /**
         * crontab's answer, read here only. Debian 12's cron says "no crontab for USER" (exit 1) for a
         * user without one; no exit code tells that from a failure.
         */
        static Listing read(String user, ExecResult r) throws TaskFailure {
            if (r.ok()) {
                return new Listing(r.stdout(), false);
            }
            if (crontabMissing(r)) {
                return new Listing("", true);
            }
            if (r.stderr().lines().anyMatch(("no crontab for " + user)::equals)) {
                return new Listing("", false);
            }
            throw new TaskFailure("cannot read the crontab of " + user + ": " + HostContext.lastLine(r));
        }

        /** The shell's 127, or sudo's own words (it exits 1) when the command does not exist. */
        static boolean crontabMissing(ExecResult r) {
            return r.exitCode() == 127 || r.stderr().lines().anyMatch("sudo: crontab: command not found"::equals);
        }
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Listing now = Listing.read(user, host.run(listCommand(user)));
        String after = withEntry(now.crontab(), entry, schedule + " " + job);
        if (!now.cronMissing() && after.equals(now.crontab())) {
            return Change.none();
        }
        // a missing cron is planned like any crontab without the entry: the runner alone decides
        // whether to apply, and applying where cron really is missing fails saying so
        return Change.of("cron entry " + entry + ": " + schedule + " " + job + (now.cronMissing() ? " (cron is not installed yet)"
                : ""), TextDiff.unified(now.crontab(), after, "/crontab:" + user), h -> install(h, after));
    }

    private void install(HostContext host, String crontab) throws OpsException {
        Command install = installCommand(user).withStdin(crontab.getBytes(StandardCharsets.UTF_8));
        ExecResult r = host.run(install);
        if (Listing.crontabMissing(r)) {
            throw new TaskFailure("cannot set the crontab of " + user + ": cron is not installed (install the cron package)");
        }
        if (!r.ok()) {
            throw new TaskFailure("`" + install + "` failed (exit " + r.exitCode() + "): " + HostContext.lastLine(r));
        }
    }
}
