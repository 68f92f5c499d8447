package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive ({@code ./catalogue-ops}): made from the training run, then
 * taught by the runs that follow. A copy of the launcher and the built jar in a folder of the
 * test's own, so that the build's archive is left alone.
 */
class LauncherArchiveIT {
    @TempDir
    Path tmp;

    @Test
    void theArchiveTakesInTheClassesOfACommandsRunAtTheNextStart() throws Exception {
        Path launcher = tmp.resolve("catalogue-ops");
        Files.copy(Path.of("../catalogue-ops"), launcher);
        Path target = Files.createDirectories(tmp.resolve("cli/target"));
        Files.copy(CliJarIT.JAR, target.resolve("catalogue-ops.jar"));
        Path jsa = target.resolve("catalogue-ops.jsa");
        Path known = target.resolve("catalogue-ops.classes/known.lst");
        Path runs = target.resolve("catalogue-ops.classes/runs");

        assertEquals(List.of("catalogue-ops 0.1.0"), run(launcher, Map.of(), "--version"), "one line, no word of the JVM's");
        assertTrue(Files.size(jsa) > 0, "the training run made the archive");
        Set<String> trained = classes(known);
        assertTrue(trained.contains("fr/gouv/data/catalogue/ops/cli/Main"), "the training run's classes: " + trained.size());

        // a command the training never ran: its own list is left for the next start
        run(launcher, Map.of("CATALOGUE_OPS_ARCHIVE", "settle"), "--ops-dir", Path.of("../examples/ops/ansible").toString(),
                "env", "list");
        Set<String> taught = new LinkedHashSet<>();
        try (Stream<Path> lists = Files.list(runs)) {
            for (Path l : lists.toList()) {
                taught.addAll(classes(l));
            }
        }
        taught.removeAll(trained);
        assertFalse(taught.isEmpty(), "env list loads classes the training did not");
        FileTime before = Files.getLastModifiedTime(jsa);

        run(launcher, Map.of("CATALOGUE_OPS_ARCHIVE", "settle"), "--version");
        Set<String> now = classes(known);
        assertTrue(now.containsAll(taught), "the archive's list lacks " + taught.stream().filter(c -> !now.contains(c)).toList());
        assertTrue(Files.getLastModifiedTime(jsa).compareTo(before) > 0, "a new archive was swapped in");
        String learnt = taught.stream().filter(c -> c.startsWith("fr/gouv/")).findFirst().orElse(taught.iterator().next())
                .replace('/', '.');
        // the JVM refuses to start (-Xshare:on) with an archive it cannot use, and logs where each class came from
        List<String> log = run(null, Map.of(), "java", "-Xshare:on", "-XX:SharedArchiveFile=" + jsa, "-Xlog:class+load=info",
                "-jar", target.resolve("catalogue-ops.jar").toString(), "--ops-dir", Path.of("../examples/ops/ansible").toString(),
                "env", "list");
        assertTrue(log.stream().anyMatch(l -> l.contains(" " + learnt + " source: shared objects file")),
                learnt + " is not loaded from the archive:\n" + String.join("\n", log.stream().filter(l -> l.contains(learnt)).toList()));
    }

    private static Set<String> classes(Path list) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String l : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (!l.startsWith("#") && !l.startsWith("@") && !l.isBlank()) {
                out.add(l.strip());
            }
        }
        return out;
    }

    private static List<String> run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (launcher != null) {
            command.add(launcher.toString());
        }
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(launcher == null);
        pb.environment().putAll(env);
        if (launcher != null) {
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out.lines().toList();
    }
}
