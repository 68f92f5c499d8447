package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Servers a fixture starts on this machine (pebble, git daemon, a web server): output to a log, stopped by PID. */
final class BackgroundProcesses implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();

    /** Starts {@code argv} with {@code env} added, its output and errors into {@code log}. */
    void start(List<String> argv, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        processes.add(p);
    }

    /** Stops every one (TERM, then KILL after 5 s), only the processes started here. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
