package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.daytwo.InitialData;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.ToolOutput;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The environment's initial data loaded with the app's own tool ({@code make ops-initdata}):
 * {@code initdata_src} (decrypted on this machine when vault-encrypted) uploaded into the live
 * release as {@code ops/run/initdata.yml}, mode 0600, owned by the app's user;
 * {@code venv/bin/python -m tools.initdata --no-input} run there with the release's {@code .env};
 * the plain copy removed afterwards, also on failure. On the first web host unless
 * {@link #allHosts(boolean)}; under the environment's deploy lock. Made by
 * {@link CatalogueOps#initdata(String)}.
 */
public final class InitdataCommand {
    private final CatalogueOps ops;
    private final String environment;
    private Path file;
    private boolean allHosts;
    private Duration waitFor;
    private ToolOutput output = ToolOutput.NONE;

    InitdataCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * Loads this file instead of {@code initdata_src} (decrypted too when vault-encrypted).
     *
     * @param file the file, relative to the working directory
     * @return this
     */
    public InitdataCommand file(Path file) {
        this.file = file;
        return this;
    }

    /**
     * Runs on every web host in turn (default: the first one only; the database is shared).
     *
     * @param all whether to run on every web host
     * @return this
     */
    public InitdataCommand allHosts(boolean all) {
        this.allHosts = all;
        return this;
    }

    /**
     * Waits up to this long for a lock a deploy holds.
     *
     * @param limit how long (null: do not wait)
     * @return this
     */
    public InitdataCommand waitForLock(Duration limit) {
        this.waitFor = limit;
        return this;
    }

    /**
     * Receives the tool's output as it comes, secrets masked.
     *
     * @param output the receiver
     * @return this
     */
    public InitdataCommand output(ToolOutput output) {
        this.output = output == null ? ToolOutput.NONE : output;
        return this;
    }

    /**
     * Checks the request (the file exists, decrypts, is a YAML mapping), then loads it.
     *
     * @return per host: the release it ran in, the tool's exit code and last line
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment, no {@code initdata_src}, a file missing
     *         or not YAML, no live release
     * @throws OpsException a wrong vault password, a host unreachable, the lock held
     * @throws InterruptedException interrupted (the lock is released)
     */
    public ToolRunReport call() throws OpsException, InterruptedException {
        Environment env = ops.load(environment);
        List<String> hosts = Deployment.hosts(env, Set.of(), 0);
        try (InitialData.Source source = InitialData.read(env, file)) {
            Deployment deployment = new Deployment(env, ops.access(), ops.secretsToMask(environment), DeployListener.NONE,
                    new Deployment.Request(null, false, Set.of(), 0, waitFor, null, ops.environmentVariables()));
            return InitialData.run(deployment, environment, allHosts ? hosts : hosts.subList(0, 1), source, output);
        }
    }
}
