package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;

/**
 * A tool run in one host's live release.
 *
 * @param host the inventory name of the host
 * @param release the live release it ran in, e.g. {@code 20261201180509-0123456}
 * @param commit the release's commit
 * @param exitCode the tool's exit code (0: it succeeded)
 * @param message what happened, on one line, secrets masked (the end of the output when it failed)
 * @param duration how long it ran
 */
public record HostToolRun(String host, String release, String commit, int exitCode, String message, Duration duration) {
    /**
     * Whether the tool exited with 0.
     *
     * @return true when it succeeded
     */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
