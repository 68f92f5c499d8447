package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;

/**
 * One step of a deploy or rollback on one host, as it ended.
 *
 * @param host the inventory name of the host
 * @param step what the step does, e.g. {@code code}, {@code venv}, {@code migrate}, {@code switch}
 * @param status {@code ok}, {@code changed}, {@code reused}, {@code skipped}, {@code would} (check mode) or {@code failed}
 * @param message what it did or why it failed, secrets masked (may be empty)
 * @param duration how long it took
 */
public record DeployStep(String host, String step, String status, String message, Duration duration) {
    /**
     * Whether the step failed.
     *
     * @return true when its status is {@code failed}
     */
    public boolean failed() {
        return "failed".equals(status);
    }
}
