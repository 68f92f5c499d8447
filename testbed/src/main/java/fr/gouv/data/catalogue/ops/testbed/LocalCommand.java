package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine (the testbed's own plumbing), as argv, never through a shell. */
final class LocalCommand {
    private LocalCommand() {
    }

    /** Runs and returns standard output; fails with the command's own error text. */
    static String run(List<String> argv, long timeoutSeconds) throws TestbedException {
        return run(argv, timeoutSeconds, null);
    }

    static String run(List<String> argv, long timeoutSeconds, byte[] stdin) throws TestbedException {
        Path err = null;
        try {
            err = Files.createTempFile("testbed-", ".err");
            ProcessBuilder builder = new ProcessBuilder(argv).redirectError(err.toFile());
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process process = builder.start();
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin);
                }
            }
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TestbedException(String.join(" ", argv) + ": no answer within " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0) {
                String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
                throw new TestbedException(String.join(" ", argv) + " failed (exit " + process.exitValue() + "): "
                        + lastLine(stderr));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TestbedException("cannot run " + argv.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while running " + String.join(" ", argv));
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a temp file; nothing else depends on it
                }
            }
        }
    }

    /** Runs for cleanup: failures are expected (already gone) and ignored. */
    static void runQuietly(List<String> argv) {
        try {
            run(argv, 60);
        } catch (TestbedException ignored) {
            // already removed, or never created
        }
    }

    static boolean available(String tool) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }
}
