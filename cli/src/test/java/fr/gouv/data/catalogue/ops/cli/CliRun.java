package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with captured streams, no terminal, and a scripted editor. */
public final class CliRun {
    public final Path cwd;
    public final Map<String, String> env = new HashMap<>();
    public byte[] stdin = new byte[0];
    public VaultEditor.Editor editor = file -> {
        throw new AssertionError("no editor expected");
    };

    public int exitCode;
    public String out;
    public String err;

    public CliRun(Path cwd) {
        this.cwd = cwd;
    }

    public CliRun run(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        Session session = new Session(new ByteArrayInputStream(stdin), outStream, errStream, outStream, env, cwd,
                question -> null, editor, question -> false);
        exitCode = Main.run(session, args);
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return this;
    }

    /** Command-line arguments, common ones first. */
    static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** The error output is exactly one line. */
    public String oneLineError() {
        String trimmed = err.strip();
        if (trimmed.isEmpty() || trimmed.contains("\n")) {
            throw new AssertionError("expected one error line, got: [" + err + "]");
        }
        return trimmed;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
