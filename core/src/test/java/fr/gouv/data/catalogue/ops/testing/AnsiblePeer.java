package fr.gouv.data.catalogue.ops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real Ansible tools (Debian's ansible-core) for cross-checks. Outside CI a missing
 * ansible is a skip with one clear line; in CI (CI=true) it is a failure, so the cross-checks
 * can never be silently skipped where they must run.
 */
public final class AnsiblePeer {
    private AnsiblePeer() {
    }

    public static void require(String tool) {
        boolean present = Files.isExecutable(Path.of("/usr/bin/" + tool));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(tool + " is missing in CI; the test command installs ansible-core");
        }
        Assumptions.assumeTrue(present, tool + " not installed (apt-get install ansible-core); cross-check skipped");
    }

    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static Result run(Path dir, byte[] stdin, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        builder.environment().put("ANSIBLE_NOCOLOR", "1");
        builder.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-tmp").toString());
        builder.environment().put("HOME", dir.toString());
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin);
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " did not finish in 120 s");
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(process.exitValue(), out, stderr);
    }
}
