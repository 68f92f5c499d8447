package fr.gouv.data.catalogue.ops.internal.remote;

import java.time.Duration;
import java.util.List;

/**
 * A command for a host, as data: argv (never a shell string), optional privilege escalation,
 * standard input and a time limit. {@link #commandLine(String)} is the exact text sent.
 */
public record Command(List<String> argv, String becomeUser, byte[] stdin, Duration timeout) {
    /** Printed by the become wrapper once sudo has let the command through. */
    static final String BECOME_MARKER = "CATALOGUE-OPS-BECOME-OK";
    /** sudo's password prompt, recognizable on standard error. */
    static final String SUDO_PROMPT = "[catalogue-ops sudo password]";

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        argv = List.copyOf(argv);
        stdin = stdin == null ? new byte[0] : stdin;
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), null, null, Duration.ofMinutes(10));
    }

    /** Runs as {@code user} through sudo. */
    public Command become(String user) {
        return new Command(argv, user, stdin, timeout);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, becomeUser, input, timeout);
    }

    public Command withTimeout(Duration limit) {
        return new Command(argv, becomeUser, stdin, limit);
    }

    /**
     * The text the remote login shell runs. With become: without a password, {@code sudo -n}
     * (fails at once if one is needed); with one, sudo reads it from standard input after its
     * recognizable prompt, and the command announces itself on stderr before it starts, so the
     * password never reaches the command.
     */
    public String commandLine(boolean becomeWithPassword) {
        String command = ShellQuote.join(argv);
        if (becomeUser == null) {
            return command;
        }
        if (!becomeWithPassword) {
            return "sudo -n -H -u " + ShellQuote.quote(becomeUser) + " -- " + command;
        }
        return "sudo -S -p " + ShellQuote.quote(SUDO_PROMPT) + " -H -u " + ShellQuote.quote(becomeUser)
                + " -- sh -c " + ShellQuote.quote("echo " + BECOME_MARKER + " >&2; exec \"$@\"") + " sh " + command;
    }

    @Override
    public String toString() {
        return ShellQuote.join(argv) + (becomeUser == null ? "" : " (as " + becomeUser + ")");
    }
}
