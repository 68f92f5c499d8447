package fr.gouv.data.catalogue.ops.internal.remote;

import java.time.Duration;

/**
 * What a command did. Output kept here is capped ({@link SshRemote#KEPT_OUTPUT} per stream, the
 * end of it); a line listener sees all of it as it comes.
 */
public record ExecResult(String host, int exitCode, String stdout, String stderr, Duration duration) {
    public boolean ok() {
        return exitCode == 0;
    }
}
