package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * What a deploy or rollback did on one host.
 *
 * @param host the inventory name of the host
 * @param release the release that runs (or would run, or failed), e.g. {@code 20261201180509-0123456}
 * @param side the side it runs on, {@code blue} or {@code green}
 * @param previousRelease the release that served before (empty when none)
 * @param reusedVenv whether the Python virtualenv was reused (its requirements and interpreter unchanged)
 * @param reusedNodeModules whether the client's node modules were reused ({@code package-lock.json} unchanged)
 * @param result {@code deployed}, {@code unchanged}, {@code would deploy}, {@code rolled back},
 *               {@code switched back} (unhealthy after the switch) or {@code failed}
 * @param message why it failed, or what it did, on one line (may be empty)
 * @param steps every step, in order
 */
public record HostDeploy(String host, String release, String side, String previousRelease, boolean reusedVenv,
                         boolean reusedNodeModules, String result, String message, List<DeployStep> steps) {
    /**
     * The record, its step list copied.
     *
     * @param host the inventory name of the host
     * @param release the release that runs (or would run, or failed)
     * @param side the side it runs on
     * @param previousRelease the release that served before (empty when none)
     * @param reusedVenv whether the virtualenv was reused
     * @param reusedNodeModules whether the node modules were reused
     * @param result how it ended
     * @param message why it failed, or what it did
     * @param steps every step, in order
     */
    public HostDeploy {
        steps = List.copyOf(steps);
    }

    /**
     * Whether the host ended well (deployed, unchanged, rolled back, or would deploy in check mode).
     *
     * @return false when it failed or was switched back
     */
    public boolean succeeded() {
        return !"failed".equals(result) && !"switched back".equals(result);
    }
}
