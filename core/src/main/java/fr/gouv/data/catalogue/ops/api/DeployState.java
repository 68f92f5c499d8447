package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.HistoryEntry;
import fr.gouv.data.catalogue.ops.report.LockStatus;
import fr.gouv.data.catalogue.ops.report.ReleaseInfo;
import java.util.List;
import java.util.Set;

/**
 * What the hosts of an environment record about deploys: releases, the audit log, the lock. The
 * hosts are the source of truth: any machine sees the same. Made by
 * {@link CatalogueOps#releases(String)}, {@link CatalogueOps#history(String)} and {@link CatalogueOps#lock(String)}.
 */
public final class DeployState {
    private final CatalogueOps ops;
    private final String environment;

    DeployState(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    private Deployment deployment() throws OpsException {
        return new Deployment(ops.load(environment), ops.access(), () -> ops.secretsToMask(environment), DeployListener.NONE,
                new Deployment.Request(null, true, Set.of(), 0, null, null, ops.environmentVariables()));
    }

    /**
     * Every release on every web host, newest first per host.
     *
     * @return the releases
     * @throws OpsException unknown environment, a host unreachable
     */
    public List<ReleaseInfo> releases() throws OpsException {
        return deployment().releases();
    }

    /**
     * Every record of the web hosts' audit logs, oldest first per host.
     *
     * @return the records
     * @throws OpsException unknown environment, a host unreachable
     */
    public List<HistoryEntry> history() throws OpsException {
        return deployment().history();
    }

    /**
     * The deploy lock, on the first web host.
     *
     * @return who holds it, or that it is free
     * @throws OpsException unknown environment, the host unreachable
     */
    public LockStatus status() throws OpsException {
        return deployment().lockStatus();
    }

    /**
     * Removes the lock by hand (when its holder is known to be gone); recorded in the audit log.
     *
     * @return the lock as it was before
     * @throws OpsException unknown environment, the host unreachable
     */
    public LockStatus release() throws OpsException {
        return deployment().releaseLockByHand();
    }
}
