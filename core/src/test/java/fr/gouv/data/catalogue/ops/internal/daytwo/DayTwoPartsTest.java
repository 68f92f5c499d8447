package fr.gouv.data.catalogue.ops.internal.daytwo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.environment.AppTools;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of initdata and tool runs: exact command lines, the tools variable read and checked. */
class DayTwoPartsTest {
    static final String RELEASE = "/home/app/catalogage/releases/20261201180509-0123456";

    @Test
    void initdataRunsTheAppsToolInTheReleaseAndRemovesItsFileHoweverItEnds() {
        Command c = DayTwoScripts.initdata(RELEASE);
        assertEquals(List.of("sh", "-c", "f=\"$1/ops/run/initdata.yml\"; trap 'rm -f \"$f\"' EXIT; trap 'exit 129' HUP;"
                + " trap 'exit 130' INT; trap 'exit 143' TERM; cd \"$1\" || exit 1;"
                + " venv/bin/python -m tools.initdata --no-input \"$f\"", "sh", RELEASE), c.argv());
        assertEquals(0, c.stdin().length, "nothing on standard input either: the file is uploaded, the .env read by the app");
        assertEquals(List.of("sh", "-c", "set -e; mkdir -p \"$1/ops/run\"; chmod 700 \"$1/ops/run\"", "sh", RELEASE),
                DayTwoScripts.runFolder(RELEASE).argv());
        assertEquals(List.of("rm", "-f", "--", RELEASE + "/ops/run/initdata.yml"), DayTwoScripts.removeInitdata(RELEASE).argv());
    }

    @Test
    void aToolRunsFromTheReleaseFolderWithItsArgumentsAsArguments() {
        Command c = DayTwoScripts.tool(RELEASE, List.of("venv/bin/python", "-m", "tools.remove_duplicated_tags", "--x; rm -rf /"));
        assertEquals(List.of("sh", "-c", "cd \"$1\" || exit 1; shift; exec \"$@\"", "sh", RELEASE, "venv/bin/python", "-m",
                "tools.remove_duplicated_tags", "--x; rm -rf /"), c.argv());
        assertEquals("sh -c 'cd \"$1\" || exit 1; shift; exec \"$@\"' sh " + RELEASE
                + " venv/bin/python -m tools.remove_duplicated_tags '--x; rm -rf /'", c.commandLine(false));
    }

    @Test
    void dedupeTagsIsBuiltInAndTheToolsVariableAddsOrReplaces() {
        AppTools none = AppTools.of(null);
        assertEquals("dedupe-tags", none.names());
        assertEquals(List.of("venv/bin/python", "-m", "tools.remove_duplicated_tags"), none.find("dedupe-tags").orElseThrow().argv());
        Map<String, Object> declared = new LinkedHashMap<>();
        declared.put("stats", List.of("venv/bin/python", "-m", "tools.stats", 3));
        declared.put("dedupe-tags", List.of("make", "dedupe"));
        AppTools tools = AppTools.of(declared);
        assertEquals("dedupe-tags, stats", tools.names());
        assertEquals(List.of("venv/bin/python", "-m", "tools.stats", "3"), tools.find("stats").orElseThrow().argv());
        assertFalse(tools.find("dedupe-tags").orElseThrow().builtIn());
        assertTrue(tools.find("nope").isEmpty());
        assertEquals(List.of(), AppTools.problems(declared));
    }

    @Test
    void aBadToolsVariableIsOneProblemPerMistake() {
        assertEquals(List.of("tools must be a mapping of tool names to argument lists (e.g. tools: {stats: [venv/bin/python, -m,"
                + " tools.stats]}), found a list"), AppTools.problems(List.of("a")));
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("Bad Name", List.of("x"));
        bad.put("empty", List.of());
        bad.put("text", "venv/bin/python -m tools.x");
        bad.put("nested", List.of("ok", List.of("no"), ""));
        assertEquals(List.of(
                "tools: 'Bad Name' is not a tool name; use lowercase letters, digits, '-', '_' and '.' (at most 64, starting"
                        + " with a letter or digit)",
                "tools/empty must be a non-empty list of arguments (e.g. [venv/bin/python, -m, tools.empty]), found an empty list",
                "tools/text must be a non-empty list of arguments (e.g. [venv/bin/python, -m, tools.text]), found"
                        + " 'venv/bin/python -m tools.x'",
                "tools/nested/1 must be a non-empty string, found a list",
                "tools/nested/2 must be a non-empty string, found ''"), AppTools.problems(bad));
        assertEquals("dedupe-tags", AppTools.of(bad).names(), "an invalid value declares nothing");
    }
}
