package fr.gouv.data.catalogue.ops.internal.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Check mode lives in the runner alone: a task sees the host through {@link HostContext}, which
 * does not tell check mode, and no task or recipe source asks for it.
 */
class CheckModeInTheRunnerTest {
    private static final Path SOURCES = Path.of("src/main/java/fr/gouv/data/catalogue/ops/internal");
    /** Where check mode is handed to the runner or used by it; no task is among them. */
    private static final Set<String> ALLOWED = Set.of("task/PlayRunner.java", "provision/Provisioning.java");
    private static final Pattern ASKS_FOR_CHECK_MODE = Pattern.compile("\\bcheck\\s*\\(\\s*\\)");

    @Test
    void aTasksHostContextDoesNotTellCheckMode() {
        assertEquals(List.of(), Stream.concat(Arrays.stream(HostContext.class.getDeclaredMethods()).map(m -> m.getName()),
                        Arrays.stream(HostContext.class.getDeclaredFields()).map(f -> f.getName()))
                .filter(n -> n.toLowerCase().contains("check")).toList());
    }

    @Test
    void noTaskOrRecipeSourceAsksForCheckMode() throws IOException {
        List<String> askers;
        try (Stream<Path> files = Stream.concat(Files.walk(SOURCES.resolve("task")), Files.walk(SOURCES.resolve("provision")))) {
            askers = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !ALLOWED.contains(SOURCES.relativize(p).toString().replace('\\', '/')))
                    .filter(p -> {
                        try {
                            return ASKS_FOR_CHECK_MODE.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(p -> SOURCES.relativize(p).toString()).toList();
        }
        assertEquals(List.of(), askers);
    }

    @Test
    void theScanSeesTheSources() throws IOException {
        // a scan of a folder that is not there would find nothing and pass: the runner's own use is found
        assertEquals(true, ASKS_FOR_CHECK_MODE.matcher(Files.readString(SOURCES.resolve("task/PlayRunner.java"))).find());
    }
}
