package fr.gouv.data.catalogue.ops.internal.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The exchange with {@code sudo -S} on a command's error stream: its prompt is answered once with
 * the password on standard input (never on a command line); a second prompt means it was refused;
 * the marker {@link Command#commandLine} prints means the command started, so standard input now
 * belongs to the command.
 */
final class SudoDialog {
    private final OutputStream stdin;
    private final char[] password;
    private final String user;
    private final CountDownLatch started;
    private final AtomicReference<String> problem;
    private int prompts;

    SudoDialog(OutputStream stdin, char[] password, String user, CountDownLatch started, AtomicReference<String> problem) {
        this.stdin = stdin;
        this.password = password;
        this.user = user;
        this.started = started;
        this.problem = problem;
    }

    /**
     * Reads a piece of the error stream: a whole line, or what has come of one so far (sudo's
     * prompt has no newline).
     *
     * @return true when the text was part of the dialog (not the command's own output)
     */
    boolean handle(String partial, boolean completeLine) throws IOException {
        if (partial.endsWith(Command.SUDO_PROMPT)) {
            if (++prompts > 1) {
                problem.set("sudo refused the password for " + user + "; check ansible_become_password");
                started.countDown();
                return true;
            }
            byte[] bytes = (new String(password) + "\n").getBytes(StandardCharsets.UTF_8);
            stdin.write(bytes);
            stdin.flush();
            Arrays.fill(bytes, (byte) 0);
            return true;
        }
        if (completeLine && partial.endsWith(Command.BECOME_MARKER)) {
            started.countDown();
            return true;
        }
        return false;
    }
}
