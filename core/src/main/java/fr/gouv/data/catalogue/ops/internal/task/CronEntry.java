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

    @Override
    public Change plan(HostContext host) throws OpsException {
        ExecResult current = host.run(listCommand(user));
        boolean noCron = current.exitCode() == 127 || current.stderr().contains("command not found");
        if (noCron && host.check()) {
            // in check mode an earlier task may only have said it would install cron: report the entry as new
            String after = withEntry("", entry, schedule + " " + job);
            return Change.of("cron entry " + entry + ": " + schedule + " " + job + " (cron is not installed yet)",
                    TextDiff.unified("", after, "/crontab:" + user), h -> { });
        }
        if (!current.ok() && !current.stderr().contains("no crontab")) {
            throw new TaskFailure("cannot read the crontab of " + user + ": " + HostContext.lastLine(current)
                    + " (is cron installed?)");
        }
        String before = current.ok() ? current.stdout() : "";
        String after = withEntry(before, entry, schedule + " " + job);
        if (after.equals(before)) {
            return Change.none();
        }
        return Change.of("cron entry " + entry + ": " + schedule + " " + job, TextDiff.unified(before, after, "/crontab:" + user),
                h -> h.runOk(Command.of("crontab", "-u", user, "-").withStdin(after.getBytes(StandardCharsets.UTF_8))));
    }
}
