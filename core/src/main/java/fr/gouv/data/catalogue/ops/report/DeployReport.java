package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;
import java.util.List;

/**
 * What a deploy or rollback did on an environment.
 *
 * @param environment the environment's name
 * @param operation {@code deploy} or {@code rollback}
 * @param commit the full commit id deployed (or rolled back to)
 * @param ref the ref asked for ({@code git_version}), or the release id for a rollback
 * @param check whether it was a dry run (nothing changed)
 * @param message one line: what happened overall, or why it failed
 * @param hosts per host, in the inventory's order
 * @param duration how long it took
 */
public record DeployReport(String environment, String operation, String commit, String ref, boolean check, String message,
                           List<HostDeploy> hosts, Duration duration) {
    /**
     * The record, its host list copied.
     *
     * @param environment the environment's name
     * @param operation {@code deploy} or {@code rollback}
     * @param commit the full commit id
     * @param ref the ref asked for, or the release id
     * @param check whether it was a dry run
     * @param message what happened overall
     * @param hosts per host
     * @param duration how long it took
     */
    public DeployReport {
        hosts = List.copyOf(hosts);
    }

    /**
     * Whether every host ended well.
     *
     * @return true when no host failed or was switched back
     */
    public boolean succeeded() {
        return !hosts.isEmpty() && hosts.stream().allMatch(HostDeploy::succeeded);
    }
}
