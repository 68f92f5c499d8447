package fr.gouv.data.catalogue.ops.internal.daytwo;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.deploy.LiveRelease;
import fr.gouv.data.catalogue.ops.internal.environment.AppTools;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.report.ToolOutput;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the app's tools run in the live release ({@code make ops-dedupe-tags} and the like):
 * from the release's folder, so with its virtualenv and its {@code .env}, under the deploy lock;
 * the output streamed with secrets masked, the tool's exit code kept.
 */
public final class AppToolRun {
    private AppToolRun() {
    }

    /** The environment's tools: the built-in ones and those of its {@code tools} variable (first web host). */
    public static AppTools tools(Environment env) throws OpsException {
        List<String> web = env.webHosts();
        if (web.isEmpty()) {
            throw new ConfigException(env.name() + ": no host in group [web]");
        }
        HostVariables vars = env.variables(web.get(0));
        if (!vars.isDefined(AppTools.VARIABLE)) {
            return AppTools.of(null);
        }
        Object declared = vars.get(AppTools.VARIABLE);
        List<String> problems = AppTools.problems(declared);
        if (!problems.isEmpty()) {
            String where = vars.variable(AppTools.VARIABLE).map(v -> v.origin().toString()).orElse(env.name());
            throw new ConfigException(where + ": " + problems.get(0));
        }
        return AppTools.of(declared);
    }

    /** The tool of that name, or a one-line error listing the known ones. */
    public static AppTools.Tool find(Environment env, String name) throws OpsException {
        AppTools tools = tools(env);
        if (name == null || name.isBlank()) {
            throw new ConfigException("no tool given; tools of " + env.name() + ": " + tools.names());
        }
        return tools.find(name).orElseThrow(() -> new ConfigException(env.name() + ": no tool named " + name + "; tools: "
                + tools.names() + " (more are declared in the variable tools)"));
    }

    /** Runs the tool with {@code arguments} appended, on {@code host}, under the lock. */
    public static ToolRunReport run(Deployment deployment, String environment, String host, AppTools.Tool tool,
                                    List<String> arguments, ToolOutput output) throws OpsException, InterruptedException {
        long start = System.nanoTime();
        List<String> argv = new ArrayList<>(tool.argv());
        argv.addAll(arguments);
        List<InitialData.Outcome> runs = deployment.inLiveReleases(List.of(host), "run", tool.name(), r -> run(r, argv, output));
        return new ToolRunReport(environment, tool.name(), argv, runs.stream().map(InitialData.Outcome::run).toList(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static InitialData.Outcome run(LiveRelease r, List<String> argv, ToolOutput output) throws OpsException {
        long start = System.nanoTime();
        InitialData.Outcome.Lines lines = new InitialData.Outcome.Lines();
        var result = r.exec(DayTwoScripts.tool(r.dir(), argv), (h, stderr, line) -> {
            lines.add(line);
            output.line(r.host(), stderr, line);
        });
        return InitialData.Outcome.of(r, result.exitCode(), result.ok() ? lines.last()
                : "exit " + result.exitCode() + ": " + r.tail(result, 3), start);
    }
}
