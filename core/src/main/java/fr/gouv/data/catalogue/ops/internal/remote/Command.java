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

    /** This command, then {@code next} if this one succeeded: {@link #all} of the two. */
    public Command then(Command next) {
        return all(List.of(this, next));
    }

    /**
     * Commands run one after the other while they succeed, in one command on the host (one round
     * trip instead of several): {@code sh -c 'A && B && C'}, exiting with the first failure's
     * code. Only the first may take standard input (it reads it to its end); all run as the same
     * user: become is set on the result. The time limit is the sum of theirs.
     */
    public static Command all(List<Command> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to run");
        }
        StringBuilder script = new StringBuilder();
        Duration total = Duration.ZERO;
        for (int i = 0; i < parts.size(); i++) {
            Command c = parts.get(i);
            if (c.becomeUser != null) {
                throw new IllegalArgumentException("compose commands before become: " + c);
            }
            if (i > 0 && c.stdin.length > 0) {
                throw new IllegalArgumentException("only the first of composed commands reads standard input: " + c);
            }
            script.append(i == 0 ? "" : " && ").append(ShellQuote.join(c.argv));
            total = total.plus(c.timeout);
        }
        return new Command(List.of("sh", "-c", script.toString()), null, parts.get(0).stdin, total);
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
