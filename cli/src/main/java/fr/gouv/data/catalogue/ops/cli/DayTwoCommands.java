package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.report.HostToolRun;
import fr.gouv.data.catalogue.ops.report.ToolInfo;
import fr.gouv.data.catalogue.ops.report.ToolOutput;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code initdata} and {@code run}: the app's own tools in the live release; the CLI presents, the facade runs. */
final class DayTwoCommands {
    private DayTwoCommands() {
    }

    /** The tool's lines as they come: standard output to ours, standard error to ours; the host first when several run. */
    static ToolOutput stream(Session session, boolean withHost) {
        return (host, stderr, line) -> {
            PrintStream to = stderr ? session.err() : session.out();
            synchronized (to) {
                to.println(withHost ? host + " | " + line : line);
            }
        };
    }

    static void recap(PrintStream out, ToolRunReport r) {
        for (HostToolRun h : r.hosts()) {
            out.printf("%s %s on %s (release %s): %s%s, %.1f s%n", h.succeeded() ? "done  " : "FAILED", r.tool(), h.host(),
                    h.release(), h.succeeded() ? "exit 0" : "exit " + h.exitCode(), h.message().isEmpty() || !h.succeeded() ? ""
                            : " (" + h.message() + ")", h.duration().toMillis() / 1000.0);
        }
    }

    @Command(name = "initdata", mixinStandardHelpOptions = true,
            description = "Load ENV's initial data (initdata_src, decrypted here when vault-encrypted) with the app's"
                    + " tools.initdata in the live release, on the first web host; creates only what does not exist yet.")
    static final class Initdata implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "This file instead of initdata_src.")
        String file;

        @Option(names = "--all-hosts", description = "Run on every web host in turn (default: the first one).")
        boolean allHosts;

        @Option(names = "--wait", arity = "0..1", fallbackValue = "30m", paramLabel = "DURATION",
                description = "Queue behind a deploy that holds the lock, up to DURATION (default 30m).")
        String waitFor;

        @Override
        public Integer call() throws Exception {
            if (file != null && file.isBlank()) {
                throw new ConfigException("--file is empty; give the initial data file, or leave the option out for initdata_src");
            }
            ToolRunReport report = root.ops().initdata(name).file(file == null ? null : Path.of(file)).allHosts(allHosts)
                    .waitForLock(DeployCommands.waitDuration(waitFor)).output(stream(root.session, allHosts)).call();
            recap(root.session.out(), report);
            return report.succeeded() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run one of the app's tools in ENV's live release (its venv and .env), on the first web host:"
                    + " dedupe-tags, or one the variable tools declares. Exits with the tool's exit code.")
    static final class Run implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TOOL", description = "The tool (see --list).")
        String tool;

        @Parameters(index = "2..*", paramLabel = "ARGS", description = "Arguments for the tool, after --.")
        List<String> arguments = new ArrayList<>();

        @Option(names = "--list", description = "List the tools and what each runs; contacts no host.")
        boolean list;

        @Option(names = "--wait", arity = "0..1", fallbackValue = "30m", paramLabel = "DURATION",
                description = "Queue behind a deploy that holds the lock, up to DURATION (default 30m).")
        String waitFor;

        @Override
        public Integer call() throws Exception {
            PrintStream out = root.session.out();
            if (list) {
                if (tool != null) {
                    throw new ConfigException("run --list takes no TOOL (got " + tool + "); run catalogue-ops run " + name + " --list");
                }
                for (ToolInfo t : root.ops().tools(name)) {
                    out.printf("%-20s %s%s%n", t.name(), String.join(" ", t.argv()), t.builtIn() ? "  (built in)" : "");
                }
                return Main.OK;
            }
            if (tool == null) {
                List<String> names = root.ops().tools(name).stream().map(ToolInfo::name).toList();
                throw new ConfigException("run " + name + ": no TOOL given; tools: " + String.join(", ", names)
                        + " (see catalogue-ops run " + name + " --list)");
            }
            ToolRunReport report = root.ops().run(name, tool).arguments(arguments)
                    .waitForLock(DeployCommands.waitDuration(waitFor)).output(stream(root.session, false)).call();
            recap(out, report);
            return report.exitCode();
        }
    }
}
