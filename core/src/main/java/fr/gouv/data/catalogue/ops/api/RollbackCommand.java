package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A rollback to a release still on the hosts: no rebuild and no schema change, the same
 * health-checked switch as a deploy. A release unhealthy against the current schema is not
 * switched to, and the answer says why. Made by {@link CatalogueOps#rollback(String)}.
 */
public final class RollbackCommand {
    private final CatalogueOps ops;
    private final String environment;
    private String to;
    private Duration waitFor;
    private final Set<String> limit = new LinkedHashSet<>();
    private DeployListener listener = DeployListener.NONE;

    RollbackCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * The release to return to (default: the one that was live before the live one).
     *
     * @param releaseId a release id, as {@code releases} lists them
     * @return this
     */
    public RollbackCommand to(String releaseId) {
        this.to = releaseId == null || releaseId.isBlank() ? null : releaseId.strip();
        return this;
    }

    /**
     * Only these hosts (none: every web host).
     *
     * @param hosts inventory names
     * @return this
     */
    public RollbackCommand limit(String... hosts) {
        limit.addAll(List.of(hosts));
        return this;
    }

    /**
     * Waits up to this long for a lock another deploy holds.
     *
     * @param limit how long (null: do not wait)
     * @return this
     */
    public RollbackCommand waitForLock(Duration limit) {
        this.waitFor = limit;
        return this;
    }

    /**
     * Told of every step as it ends on a host.
     *
     * @param listener the listener
     * @return this
     */
    public RollbackCommand listener(DeployListener listener) {
        this.listener = listener == null ? DeployListener.NONE : listener;
        return this;
    }

    /**
     * Checks the request, then rolls back.
     *
     * @return per host: the release now live, every step, how it ended
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or host, a release that does not exist or failed
     * @throws OpsException a host unreachable, the lock held
     * @throws InterruptedException interrupted (the lock is released)
     */
    public DeployReport call() throws OpsException, InterruptedException {
        Environment env = ops.load(environment);
        Deployment.hosts(env, limit, 0);
        return new Deployment(env, ops.access(), () -> ops.secretsToMask(environment), listener,
                new Deployment.Request(null, false, limit, 0, waitFor, null, ops.environmentVariables())).rollback(to);
    }
}
