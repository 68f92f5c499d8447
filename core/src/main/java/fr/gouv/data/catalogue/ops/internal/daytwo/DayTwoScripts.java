package fr.gouv.data.catalogue.ops.internal.daytwo;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands run in a live release for initial data and the app's tools, as data (argv;
 * values are arguments of fixed scripts, never spliced into them). None carries a secret: the
 * app reads the release's {@code .env} itself, from its working directory. Pure: tests check the
 * exact argv.
 */
public final class DayTwoScripts {
    /** Where the initial data file is put, relative to the release's folder (as the original playbook did). */
    public static final String INITDATA_FILE = "ops/run/initdata.yml";
    static final Duration INITDATA_TIME = Duration.ofMinutes(30);
    static final Duration TOOL_TIME = Duration.ofHours(6);

    private DayTwoScripts() {
    }

    /** The release's {@code ops/run} folder, private to the app's user (0700). */
    public static Command runFolder(String releaseDir) {
        return Command.of("sh", "-c", "set -e; mkdir -p \"$1/ops/run\"; chmod 700 \"$1/ops/run\"", "sh", releaseDir)
                .withTimeout(Duration.ofSeconds(30));
    }

    /**
     * {@code venv/bin/python -m tools.initdata --no-input FILE} in the release's folder; the file
     * is removed when the tool ends, however it ends (a signal included); the tool's exit code is
     * the command's.
     */
    public static Command initdata(String releaseDir) {
        return Command.of("sh", "-c", "f=\"$1/" + INITDATA_FILE + "\"; trap 'rm -f \"$f\"' EXIT; trap 'exit 129' HUP;"
                        + " trap 'exit 130' INT; trap 'exit 143' TERM; cd \"$1\" || exit 1;"
                        + " venv/bin/python -m tools.initdata --no-input \"$f\"", "sh", releaseDir)
                .withTimeout(INITDATA_TIME);
    }

    /** Removes the initial data file (when the run could not remove it itself, e.g. the connection was lost). */
    public static Command removeInitdata(String releaseDir) {
        return Command.of("rm", "-f", "--", releaseDir + "/" + INITDATA_FILE).withTimeout(Duration.ofSeconds(30));
    }

    /** A tool's argv run in the release's folder; its exit code is the command's. */
    public static Command tool(String releaseDir, List<String> argv) {
        List<String> all = new ArrayList<>(List.of("sh", "-c", "cd \"$1\" || exit 1; shift; exec \"$@\"", "sh", releaseDir));
        all.addAll(argv);
        return new Command(all, null, null, TOOL_TIME);
    }
}
