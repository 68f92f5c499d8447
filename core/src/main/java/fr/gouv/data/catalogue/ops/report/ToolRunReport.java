package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;
import java.util.List;

/**
 * What a tool run in an environment's live release did ({@code initdata} or one of the app's tools).
 *
 * @param environment the environment
 * @param tool the tool's name ({@code initdata}, {@code dedupe-tags}, ...)
 * @param argv what ran in the release's folder, arguments included
 * @param hosts one run per host, in order (a run stops at the first host that fails)
 * @param duration how long it all took, the lock included
 */
public record ToolRunReport(String environment, String tool, List<String> argv, List<HostToolRun> hosts, Duration duration) {
    /**
     * The record, its lists copied.
     *
     * @param environment the environment
     * @param tool the tool's name
     * @param argv what ran
     * @param hosts one run per host
     * @param duration how long it took
     */
    public ToolRunReport {
        argv = List.copyOf(argv);
        hosts = List.copyOf(hosts);
    }

    /**
     * Whether the tool succeeded on every host.
     *
     * @return true when every run exited with 0
     */
    public boolean succeeded() {
        return hosts.stream().allMatch(HostToolRun::succeeded);
    }

    /**
     * The exit code to pass on: the first non-zero one, else 0.
     *
     * @return the exit code
     */
    public int exitCode() {
        return hosts.stream().mapToInt(HostToolRun::exitCode).filter(c -> c != 0).findFirst().orElse(0);
    }
}
