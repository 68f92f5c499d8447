package fr.gouv.data.catalogue.ops.cli.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fr.gouv.data.catalogue.ops.cli.CliRun;
import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The bad-input tables: each row is a command line run in-process on a fresh copy of a valid ops
 * folder (environment {@code prod}), after an optional change to that folder, with the exit code
 * and the words its one error line must hold. Every row also checks that the ops folder is byte for
 * byte unchanged (contents, modes, no temporary file left) and that nothing looks like an internal
 * error.
 */
final class BadInput {
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(|\\w+(Exception|Error):");
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /** Prepares the ops folder (or the files around it) before the command runs. */
    interface Setup {
        void apply(Ctx c) throws Exception;
    }

    /** A check of what a row did, beyond its exit code and words. */
    interface Check {
        void apply(Result r) throws Exception;
    }

    /**
     * The folder of one row: {@code root} holds ops/ansible and is the working directory; {@code git}
     * (beside it, outside the compared folder) holds git repositories for staging rows.
     */
    record Ctx(Path root, OpsFixture ops, Map<String, Object> notes) {
        Path git() {
            return root.resolveSibling(root.getFileName() + "-git");
        }

        Path path(String relative) {
            return root.resolve(relative);
        }

        Path ops(String relative) {
            return ops.opsDir().resolve(relative);
        }

        /** Writes a file relative to the working directory (ops/ansible/... for the ops folder). */
        Ctx write(String relative, String content) throws IOException {
            return bytes(relative, content.getBytes(StandardCharsets.UTF_8));
        }

        Ctx bytes(String relative, byte[] content) throws IOException {
            Path p = path(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            return this;
        }

        Ctx executable(String relative, String content) throws IOException {
            write(relative, content);
            Files.setPosixFilePermissions(path(relative), PosixFilePermissions.fromString("rwx------"));
            return this;
        }

        Ctx delete(String relative) throws IOException {
            Files.delete(path(relative));
            return this;
        }

        Ctx mkdir(String relative) throws IOException {
            Files.createDirectories(path(relative));
            return this;
        }

        Ctx link(String relative, String target) throws IOException {
            Files.createSymbolicLink(path(relative), Path.of(target));
            return this;
        }

        Ctx env(String relative, String content) throws IOException {
            return write("ops/ansible/environments/prod/" + relative, content);
        }

        Ctx secrets(String yaml) throws IOException {
            ops.secrets("prod", yaml);
            return this;
        }
    }

    /** One bad input: the command line, what to prepare, what to expect. */
    static final class Row {
        final String name;
        final String[] args;
        Setup setup = c -> { };
        int exit = 2;
        List<String> words = new ArrayList<>();
        List<String> never = new ArrayList<>();
        int lines = 1;
        boolean changes;
        Check verify = r -> { };
        VaultEditor.Editor editor;
        Map<String, String> env = new LinkedHashMap<>();
        byte[] stdin = new byte[0];
        String skipAsRoot;

        Row(String name, String... args) {
            this.name = name;
            this.args = args;
        }

        Row setup(Setup s) {
            setup = s;
            return this;
        }

        Row exit(int code) {
            exit = code;
            return this;
        }

        /** Words the error line (for exit 0: the output) must hold, case-insensitive; "a|b" for either. */
        Row says(String... w) {
            words.addAll(List.of(w));
            return this;
        }

        /** Words that must appear nowhere in the output (a secret in clear, a temporary file name...). */
        Row never(String... w) {
            never.addAll(List.of(w));
            return this;
        }

        /** Error lines expected on standard error (env check: one per problem and a summary). */
        Row lines(int n) {
            lines = n;
            return this;
        }

        /** The command is meant to change the folder (a good input among the bad); {@code check} says how. */
        Row changes(Check check) {
            changes = true;
            verify = check;
            return this;
        }

        /** One more check of the result. */
        Row verify(Check check) {
            verify = check;
            return this;
        }

        Row editor(VaultEditor.Editor e) {
            editor = e;
            return this;
        }

        Row env(String key, String value) {
            env.put(key, value);
            return this;
        }

        Row stdin(String text) {
            stdin = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Row skipAsRoot(String why) {
            skipAsRoot = why;
            return this;
        }

        @Override
        public String toString() {
            return name + ": catalogue-ops " + String.join(" ", args);
        }
    }

    static Row row(String name, String... args) {
        return new Row(name, args);
    }

    private BadInput() {
    }

    /** The table as JUnit dynamic tests, each row in its own folder under {@code base}. */
    static Stream<DynamicTest> tests(Path base, List<Row> rows) {
        return rows.stream().map(r -> DynamicTest.dynamicTest(r.toString(), () -> check(r, run(r, base))));
    }

    /** What a row printed, with the folder it ran in. */
    record Result(CliRun cli, Ctx ctx, String before, Path editedFile) {
    }

    static Result run(Row row, Path base) throws Exception {
        if (row.skipAsRoot != null) {
            Assumptions.assumeFalse(ROOT, "skipped as root: " + row.skipAsRoot);
        }
        Path root = Files.createTempDirectory(base, "row-");
        OpsFixture ops = new OpsFixture(root).validEnvironment("prod").passwordFile();
        Ctx ctx = new Ctx(root, ops, new LinkedHashMap<>());
        row.setup.apply(ctx);
        String before = ops.snapshot();
        CliRun cli = new CliRun(root);
        cli.env.putAll(row.env);
        cli.stdin = row.stdin;
        AtomicReference<Path> edited = new AtomicReference<>();
        if (row.editor != null) {
            cli.editor = file -> {
                edited.set(file);
                row.editor.open(file);
            };
        }
        String[] args = Arrays.stream(row.args)
                .map(a -> a.replace("{root}", root.toString()).replace("{ops}", ops.opsDir().toString())
                        .replace("{git}", ctx.git().toString()))
                .toArray(String[]::new);
        cli.run(args);
        return new Result(cli, ctx, before, edited.get());
    }

    /** No output of any row may look like a bug: an internal error, an exception's name, a stack frame. */
    static void checkNoInternalError(Row row, CliRun cli) {
        String all = cli.out + cli.err;
        assertFalse(all.contains("internal error"), row + "\n" + cli);
        assertFalse(all.contains("Exception"), row + "\n" + cli);
        assertFalse(STACK_FRAME.matcher(all).find(), row + "\n" + cli);
    }

    static void check(Row row, Result result) throws Exception {
        CliRun cli = result.cli();
        String context = row + "\n" + cli;
        checkNoInternalError(row, cli);
        assertEquals(row.exit, cli.exitCode, context);
        String text;
        if (row.exit != 0) {
            List<String> errors = cli.err.lines().filter(l -> !l.startsWith("catalogue-ops: warning: ")
                    && !l.startsWith("warning: ") && !l.startsWith("catalogue-ops: waiting for ")
                    && !l.startsWith("Reading plaintext input from stdin")).toList();
            assertEquals(row.lines, errors.size(), "error lines\n" + context);
            if (row.lines == 1) {
                assertTrue(errors.get(0).startsWith("catalogue-ops: "), context);
            }
            text = String.join("\n", errors);
        } else {
            text = cli.out + cli.err;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String word : row.words) {
            boolean any = Arrays.stream(word.split("\\|")).anyMatch(w -> lower.contains(w.toLowerCase(Locale.ROOT)));
            if (!any) {
                fail("expected '" + word + "' in: " + text + "\n" + context);
            }
        }
        for (String word : row.never) {
            assertFalse((cli.out + cli.err).contains(word), "'" + word + "' must not appear\n" + context);
        }
        row.verify.apply(result);
        if (!row.changes) {
            assertEquals(result.before(), result.ctx().ops().snapshot(), "the folder changed\n" + context);
        }
        if (result.editedFile() != null) {
            assertFalse(Files.exists(result.editedFile().getParent()), "the edit's temporary folder is left\n" + context);
        }
    }

    static void writeUnchecked(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
