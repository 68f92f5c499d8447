package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The built command line jar, as the launcher runs it (an integration test: failsafe runs it once
 * the shade plugin made the jar): it holds the command line and the testbed, and nothing of the
 * test fixtures (JUnit, its dependencies, the {@code @Testbed} extension).
 */
class CliJarIT {
    static final Path JAR = Path.of("target/catalogue-ops.jar");

    /** Entry name prefixes of test-only code: classes, and the Maven metadata shade copies with them. */
    static final List<String> TEST_ONLY = List.of(
            "org/junit/", "org/opentest4j/", "org/apiguardian/",
            "META-INF/maven/org.junit", "META-INF/maven/org.opentest4j/", "META-INF/maven/org.apiguardian/",
            "fr/gouv/data/catalogue/ops/testbed/Testbed.class", "fr/gouv/data/catalogue/ops/testbed/TestbedExtension");

    @Test
    void theJarHoldsTheCommandLineAndNoTestCode() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run by failsafe after package: " + JAR + " is missing");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals(Main.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(jar.getEntry("fr/gouv/data/catalogue/ops/cli/Main.class"));
            assertNotNull(jar.getEntry("fr/gouv/data/catalogue/ops/testbed/TestHosts.class"), "the testbed commands need the testbed");
            List<String> testOnly = new ArrayList<>();
            for (ZipEntry e : Collections.list(jar.entries())) {
                if (TEST_ONLY.stream().anyMatch(e.getName()::startsWith)) {
                    testOnly.add(e.getName());
                }
            }
            assertTrue(testOnly.isEmpty(), testOnly.size() + " entries of test-only code in " + JAR + ", e.g. "
                    + testOnly.subList(0, Math.min(5, testOnly.size())));
        }
    }

    /** The testbed commands run from the jar alone, without JUnit on the class path. */
    @Test
    void testbedCommandsRunFromTheJar() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run by failsafe after package: " + JAR + " is missing");
        String list = run("testbed", "list");
        assertTrue(list.startsWith("NAME") || list.startsWith("no testbed on this machine"), list);
        assertTrue(run("testbed", "up", "--help").startsWith("Usage: catalogue-ops testbed up"));
    }

    private static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "catalogue-ops " + String.join(" ", args) + " did not end");
        assertEquals(0, p.exitValue(), "catalogue-ops " + String.join(" ", args) + ":\n" + out);
        return out;
    }
}
