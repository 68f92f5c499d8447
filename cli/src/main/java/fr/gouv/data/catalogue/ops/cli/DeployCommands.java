package fr.gouv.data.catalogue.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.internal.deploy.DeployConsole;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import fr.gouv.data.catalogue.ops.report.HistoryEntry;
import fr.gouv.data.catalogue.ops.report.LockStatus;
import fr.gouv.data.catalogue.ops.report.ReleaseInfo;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code deploy}, {@code rollback}, {@code releases}, {@code history} and {@code lock}: the CLI presents, the facade orchestrates. */
final class DeployCommands {
    private DeployCommands() {
    }

    static DeployListener progress(PrintStream out) {
        return DeployConsole.progress(out);
    }

    static void recap(PrintStream out, DeployReport r) {
        DeployConsole.recap(out, r);
    }

    static String json(DeployReport r) throws Exception {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(DeployConsole.summary(r));
    }

    /** {@code --wait}, {@code --wait=90s}, {@code --wait=5m}, {@code --wait=PT2M}. */
    static Duration waitDuration(String text) throws ConfigException {
        if (text == null) {
            return null;
        }
        String t = text.strip().toLowerCase();
        try {
            if (t.matches("[0-9]+")) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            if (t.matches("[0-9]+[smh]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(text.strip().toUpperCase());
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            throw new ConfigException("--wait " + text + ": not a duration; give seconds (90), 90s, 5m, 1h or PT2M");
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy a git version to ENV's web hosts with no downtime: a new release beside the live one,"
                    + " migrations once before the switch, health checks, then nginx switched; a failure keeps the live release.")
    static final class Deploy implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = {"-g", "--git-version"}, paramLabel = "REF",
                description = "Branch, tag or commit to deploy (default: git_version; -e git_version=REF works too).")
        String gitVersion;

        @Option(names = {"-C", "--check"}, description = "Change nothing (not even the lock); print what would happen.")
        boolean check;

        @Option(names = {"-l", "--limit"}, split = ",", paramLabel = "HOST", description = "Only these hosts.")
        List<String> limit = new ArrayList<>();

        @Option(names = "--serial", defaultValue = "0", paramLabel = "N",
                description = "Switch N hosts at a time once all are prepared (default: all at once).")
        int serial;

        @Option(names = "--wait", arity = "0..1", fallbackValue = "30m", paramLabel = "DURATION",
                description = "Queue behind a deploy that holds the lock, up to DURATION (default 30m).")
        String waitFor;

        @Option(names = "--json", description = "One JSON document instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            fr.gouv.data.catalogue.ops.api.DeployCommand deploy = root.ops().deploy(name).gitVersion(gitVersion).check(check)
                    .serial(serial).limit(limit.toArray(String[]::new)).waitForLock(waitDuration(waitFor));
            List<String> hosts;
            try {
                hosts = deploy.hosts();
            } catch (BadOptionException e) {
                throw new ConfigException("--" + e.getMessage());
            }
            PrintStream out = root.session.out();
            if (!json) {
                out.println((check ? "checking a deploy of " : "deploying ") + name + " (" + String.join(", ", hosts) + ")");
            }
            DeployReport report = deploy.listener(json ? DeployListener.NONE : progress(out)).call();
            if (json) {
                out.println(json(report));
            } else {
                recap(out, report);
            }
            return report.succeeded() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Return ENV's web hosts to a release still on them: no rebuild, no schema change, the same"
                    + " health-checked switch as a deploy.")
    static final class Rollback implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = "--to", paramLabel = "RELEASE", description = "The release (default: the one live before).")
        String to;

        @Option(names = {"-l", "--limit"}, split = ",", paramLabel = "HOST", description = "Only these hosts.")
        List<String> limit = new ArrayList<>();

        @Option(names = "--wait", arity = "0..1", fallbackValue = "30m", paramLabel = "DURATION",
                description = "Queue behind a deploy that holds the lock.")
        String waitFor;

        @Option(names = "--json", description = "One JSON document instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintStream out = root.session.out();
            if (!json) {
                out.println("rolling back " + name + (to == null ? "" : " to " + to));
            }
            DeployReport report;
            try {
                report = root.ops().rollback(name).to(to).limit(limit.toArray(String[]::new)).waitForLock(waitDuration(waitFor))
                        .listener(json ? DeployListener.NONE : progress(out)).call();
            } catch (BadOptionException e) {
                throw new ConfigException("--" + e.getMessage());
            }
            if (json) {
                out.println(json(report));
            } else {
                recap(out, report);
            }
            return report.succeeded() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "releases", mixinStandardHelpOptions = true, description = "The releases on ENV's web hosts, newest first.")
    static final class Releases implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws Exception {
            PrintStream out = root.session.out();
            List<ReleaseInfo> all = root.ops().releases(name);
            if (all.isEmpty()) {
                out.println("no release on " + name + "'s hosts yet");
                return Main.OK;
            }
            out.printf("%-2s %-20s %-24s %-8s %-20s %-12s %-24s %s%n", "", "host", "release", "commit", "ref", "state", "at", "by");
            for (ReleaseInfo r : all) {
                out.printf("%-2s %-20s %-24s %-8s %-20s %-12s %-24s %s%n", r.live() ? "*" : "", r.host(), r.id(),
                        r.commit().length() >= 7 ? r.commit().substring(0, 7) : r.commit(), r.ref(), r.state(), r.at(),
                        r.deployedBy() + " from " + r.from());
            }
            return Main.OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The deploy audit log of ENV's web hosts.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws Exception {
            PrintStream out = root.session.out();
            List<HistoryEntry> all = root.ops().history(name);
            if (all.isEmpty()) {
                out.println("no deploy recorded on " + name + "'s hosts yet");
            }
            for (HistoryEntry e : all) {
                out.printf("%s %s %-16s %-14s %-20s %-24s %6.1f s  %s from %s%s%n", e.at(), e.host(), e.event(), e.result(), e.ref(),
                        e.release(), e.durationMillis() / 1000.0, e.user(), e.from(), e.message().isEmpty() ? "" : ": " + e.message());
            }
            return Main.OK;
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true, description = "The deploy lock of an environment.",
            subcommands = {LockStatusCommand.class, LockReleaseCommand.class})
    static final class Lock implements Runnable {
        @ParentCommand
        CatalogueOpsCommand root;

        @Override
        public void run() {
            picocli.CommandLine.usage(this, root.session.out());
        }
    }

    static void show(PrintStream out, String env, LockStatus s) {
        if (!s.held()) {
            out.println(env + ": the deploy lock is free (on " + s.host() + ")");
        } else {
            out.println(env + ": the deploy lock is held by " + s.description() + "; last heartbeat " + s.heartbeatAgeSeconds()
                    + " s ago" + (s.stale() ? " (stale: its holder is gone; the next deploy takes it over)" : ""));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Who holds ENV's deploy lock.")
    static final class LockStatusCommand implements Callable<Integer> {
        @ParentCommand
        Lock lock;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws Exception {
            show(lock.root.session.out(), name, lock.root.ops().lock(name).status());
            return Main.OK;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Remove ENV's deploy lock by hand, when its holder is known to be gone (recorded in the audit log).")
    static final class LockReleaseCommand implements Callable<Integer> {
        @ParentCommand
        Lock lock;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws Exception {
            LockStatus before = lock.root.ops().lock(name).release();
            lock.root.session.out().println(before.held() ? name + ": released the deploy lock held by " + before.description()
                    : name + ": the deploy lock was free; nothing to release");
            return Main.OK;
        }
    }
}
