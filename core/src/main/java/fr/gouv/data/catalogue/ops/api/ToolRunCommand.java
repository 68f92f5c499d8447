package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.daytwo.AppToolRun;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.environment.AppTools;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.ToolOutput;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One of the app's tools run in the live release of the first web host, from the release's
 * folder (its virtualenv, its {@code .env}), under the environment's deploy lock: the built-in
 * {@code dedupe-tags} ({@code venv/bin/python -m tools.remove_duplicated_tags}) or one the
 * variable {@code tools} declares. Made by {@link CatalogueOps#run(String, String)}.
 */
public final class ToolRunCommand {
    private final CatalogueOps ops;
    private final String environment;
    private final String tool;
    private final List<String> arguments = new ArrayList<>();
    private Duration waitFor;
    private ToolOutput output = ToolOutput.NONE;

    ToolRunCommand(CatalogueOps ops, String environment, String tool) {
        this.ops = ops;
        this.environment = environment;
        this.tool = tool;
    }

    /**
     * Arguments appended to the tool's own (they reach the host's command line: never a secret).
     *
     * @param args the arguments
     * @return this
     */
    public ToolRunCommand arguments(List<String> args) {
        arguments.addAll(args);
        return this;
    }

    /**
     * Waits up to this long for a lock a deploy holds.
     *
     * @param limit how long (null: do not wait)
     * @return this
     */
    public ToolRunCommand waitForLock(Duration limit) {
        this.waitFor = limit;
        return this;
    }

    /**
     * Receives the tool's output as it comes, secrets masked.
     *
     * @param output the receiver
     * @return this
     */
    public ToolRunCommand output(ToolOutput output) {
        this.output = output == null ? ToolOutput.NONE : output;
        return this;
    }

    /**
     * Checks the request (a known tool), then runs it.
     *
     * @return the run: its exit code ({@link ToolRunReport#exitCode()}) and last line
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or tool (the message lists the known ones),
     *         an invalid {@code tools} variable, no live release
     * @throws OpsException a host unreachable, the lock held
     * @throws InterruptedException interrupted (the lock is released)
     */
    public ToolRunReport call() throws OpsException, InterruptedException {
        Environment env = ops.load(environment);
        List<String> hosts = Deployment.hosts(env, Set.of(), 0);
        AppTools.Tool found = AppToolRun.find(env, tool);
        Deployment deployment = new Deployment(env, ops.access(), ops.secretsToMask(environment), DeployListener.NONE,
                new Deployment.Request(null, false, Set.of(), 0, waitFor, null, ops.environmentVariables()));
        return AppToolRun.run(deployment, environment, hosts.get(0), found, arguments, output);
    }
}
