package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deploy benchmark's script, so that it cannot rot: {@code bench/deploy-vs-ansible --smallest}
 * (one web host per tool, no added latency, the redeploy with nothing to change) on real test
 * hosts, with the jar failsafe runs after package. The figures are the benchmark's business; this
 * checks that both tools ran and that the counts come from the hosts' sshd logs.
 */
class DeployBenchIT {
    @Test
    void theSmallestScenarioRunsBothToolsAndCountsTheirSshWorkOnTheHost() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path out = Files.createTempFile("deploy-bench", ".out");
        try {
            Process p = new ProcessBuilder(repo.resolve("bench/deploy-vs-ansible").toString(), "--smallest")
                    .directory(repo.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(60, TimeUnit.SECONDS);
                throw new AssertionError("bench/deploy-vs-ansible --smallest did not end within 15 minutes");
            }
            String report = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "bench/deploy-vs-ansible --smallest failed; its report:\n" + report);
            assertTrue(report.contains("### 3. Redeploy of the live commit: nothing to change"), report);
            String[] ours = row(report, "catalogue-ops");
            String[] theirs = row(report, "ansible");
            // | web hosts | added latency | tool | runs | median time | ratio | connections | commands | memory |
            assertEquals("1.0", ours[7], "one SSH connection to the web host, as its sshd logged it: " + report);
            assertTrue(Double.parseDouble(ours[8]) >= 1, "commands counted by the host's sshd: " + report);
            assertTrue(Double.parseDouble(theirs[8]) > Double.parseDouble(ours[8]),
                    "Ansible runs a command per task (more than catalogue-ops' batch): " + report);
            assertTrue(ours[6].startsWith("1/"), "a ratio to Ansible's time in the same run: " + report);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String[] row(String report, String tool) {
        List<String[]> rows = report.lines().filter(l -> l.startsWith("| 1 | 0 ms | " + tool + " |"))
                .map(l -> Arrays.stream(l.split("\\|", -1)).map(String::strip).toArray(String[]::new)).toList();
        assertEquals(1, rows.size(), "one row for " + tool + " in:\n" + report);
        return rows.get(0);
    }
}
