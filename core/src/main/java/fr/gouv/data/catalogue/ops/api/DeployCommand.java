package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A zero-downtime deploy of one git version to an environment's web hosts ({@code make ops-deploy}):
 * a new release beside the live one, migrations once before the switch, the new programs started
 * on the idle side and health-checked, then nginx switched; a failure leaves the live release
 * serving. Made by {@link CatalogueOps#deploy(String)}.
 */
public final class DeployCommand {
    private final CatalogueOps ops;
    private final String environment;
    private String gitVersion;
    private boolean check;
    private int serial;
    private Duration waitFor;
    private Path repositoryCache;
    private final Set<String> limit = new LinkedHashSet<>();
    private DeployListener listener = DeployListener.NONE;
    private Environment loaded;

    DeployCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * The branch, tag or (full or abbreviated) commit to deploy, instead of {@code git_version}.
     *
     * @param ref the git version
     * @return this
     */
    public DeployCommand gitVersion(String ref) {
        this.gitVersion = ref == null || ref.isBlank() ? null : ref.strip();
        return this;
    }

    /**
     * Dry run: resolve the commit, read the hosts' state and report what would happen; change nothing, not even the lock.
     *
     * @param check whether to only check
     * @return this
     */
    public DeployCommand check(boolean check) {
        this.check = check;
        return this;
    }

    /**
     * Only these hosts (may be called several times; none: every web host).
     *
     * @param hosts inventory names
     * @return this
     */
    public DeployCommand limit(String... hosts) {
        limit.addAll(List.of(hosts));
        return this;
    }

    /**
     * How many hosts switch at once, once every host is prepared.
     *
     * @param hosts at least 1; 0 (the default) switches every host at once
     * @return this
     */
    public DeployCommand serial(int hosts) {
        this.serial = hosts;
        return this;
    }

    /**
     * Waits up to this long for a lock another deploy holds, instead of failing at once.
     *
     * @param limit how long to wait (null: do not wait)
     * @return this
     */
    public DeployCommand waitForLock(Duration limit) {
        this.waitFor = limit;
        return this;
    }

    /**
     * Where fetched repositories are cached (default {@code $XDG_CACHE_HOME/catalogue-ops/repos}, else
     * {@code ~/.cache/catalogue-ops/repos}).
     *
     * @param dir the folder
     * @return this
     */
    public DeployCommand repositoryCache(Path dir) {
        this.repositoryCache = dir;
        return this;
    }

    /**
     * Told of every step as it ends on a host (called from the hosts' threads).
     *
     * @param listener the listener
     * @return this
     */
    public DeployCommand listener(DeployListener listener) {
        this.listener = listener == null ? DeployListener.NONE : listener;
        return this;
    }

    /**
     * Checks the request without contacting any host.
     *
     * @return the hosts it will deploy to, in the inventory's order
     * @throws fr.gouv.data.catalogue.ops.BadOptionException unknown host, serial below 0
     * @throws ConfigException unknown environment
     * @throws OpsException the environment's files cannot be read
     */
    public List<String> hosts() throws OpsException {
        if (loaded == null) {
            loaded = ops.load(environment);
        }
        return Deployment.hosts(loaded, limit, serial);
    }

    /**
     * Checks the request, resolves the commit (nothing is contacted when it cannot be), then deploys.
     *
     * @return per host: the release, its side, every step, what was reused, how it ended
     * @throws ConfigException a bad request, an unknown ref or unreachable repository, a host's bad settings (nothing changed)
     * @throws OpsException a host unreachable at the start, the lock held by another deploy
     * @throws InterruptedException the deploy was interrupted (the lock is released)
     */
    public DeployReport call() throws OpsException, InterruptedException {
        hosts();
        return deployment().deploy();
    }

    Deployment deployment() throws OpsException {
        hosts();
        return new Deployment(loaded, ops.access(), () -> ops.secretsToMask(environment), listener,
                new Deployment.Request(gitVersion, check, limit, serial, waitFor, cache(), ops.environmentVariables()));
    }

    private Path cache() {
        if (repositoryCache != null) {
            return repositoryCache;
        }
        String xdg = ops.environmentVariables().get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("catalogue-ops/repos");
    }
}
