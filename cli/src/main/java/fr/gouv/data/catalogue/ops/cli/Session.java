package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import java.io.Console;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command run sees of the world: streams, environment variables, working directory,
 * a terminal (or none) and an editor. Tests give their own.
 */
public record Session(InputStream in, PrintStream out, PrintStream err, OutputStream rawOut,
                      Map<String, String> env, Path cwd, VaultPasswords.Prompt prompt, VaultEditor.Editor editor,
                      Confirm confirm) {

    /** Asks a yes/no question on a terminal; false when there is none. */
    public interface Confirm {
        boolean ask(String question);
    }

    public static Session system() {
        Console console = System.console();
        Map<String, String> env = System.getenv();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        VaultPasswords.Prompt prompt = console == null ? q -> null : console::readPassword;
        Confirm confirm = console == null ? q -> false : q -> {
            String answer = console.readLine("%s [y/N] ", q);
            return answer != null && answer.strip().toLowerCase().startsWith("y");
        };
        return new Session(System.in, out, err, System.out, env, Path.of("").toAbsolutePath(), prompt,
                VaultEditor.fromEnvironment(env), confirm);
    }

    /** Writes bytes to standard output as they are (decrypted files are not text to re-encode). */
    public void writeOut(byte[] bytes) throws fr.gouv.data.catalogue.ops.OpsException {
        try {
            rawOut.write(bytes);
            rawOut.flush();
        } catch (java.io.IOException e) {
            throw new fr.gouv.data.catalogue.ops.OpsException("cannot write to standard output: " + e.getMessage());
        }
    }

    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }
}
