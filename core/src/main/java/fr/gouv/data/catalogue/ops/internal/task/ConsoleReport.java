package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a play reads on a console (the command line's and Jenkins' build log alike): one line per
 * task and host as it ends, the change made, optionally the diff, then a recap per host like
 * Ansible's; and the recap as plain data for callers (a Jenkins step's return value).
 */
public final class ConsoleReport {
    private ConsoleReport() {
    }

    /** A listener printing each result as it ends; {@code diff} adds the file differences. */
    public static RunListener progress(PrintStream out, boolean diff) {
        return r -> print(out, r, diff);
    }

    static void print(PrintStream out, TaskResult r, boolean diff) {
        synchronized (out) {
            String status = r.status() == TaskStatus.OK ? "ok" : r.status().name().toLowerCase();
            out.printf("%-8s %s | %s%s (%d ms)%n", status, r.host(), r.handler() ? "handler: " : "", r.task(),
                    r.duration().toMillis());
            if (r.status() == TaskStatus.FAILED || r.status() == TaskStatus.ABORTED
                    || (r.status() == TaskStatus.CHANGED && !r.message().isEmpty())) {
                out.println("         " + r.message());
            }
            if (diff && !r.diff().isEmpty()) {
                r.diff().lines().forEach(l -> out.println("         " + l));
            }
            out.flush();
        }
    }

    public static void recap(PrintStream out, PlayRecap recap) {
        out.println();
        out.println("RECAP (" + recap.duration().toMillis() + " ms)");
        // Ansible's columns; an aborted host says so at the end of its line (a run that was not aborted reads as Ansible's)
        recap.hosts().forEach((host, c) -> out.printf("%-30s ok=%-3d changed=%-3d failed=%-3d skipped=%-3d unreachable=%d%s%n",
                host, c.ok(), c.changed(), c.failed(), c.skipped(), c.unreachable() ? 1 : 0,
                c.aborted() > 0 ? " aborted=" + c.aborted() : ""));
        out.flush();
    }

    /** Each host's counts: ok, changed, failed, skipped, aborted, unreachable. */
    public static Map<String, Object> hostCounts(PlayRecap recap) {
        Map<String, Object> perHost = new LinkedHashMap<>();
        recap.hosts().forEach((h, c) -> {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("ok", c.ok());
            counts.put("changed", c.changed());
            counts.put("failed", c.failed());
            counts.put("skipped", c.skipped());
            counts.put("aborted", c.aborted());
            counts.put("unreachable", c.unreachable());
            perHost.put(h, counts);
        });
        return perHost;
    }

    /** The recap as maps, lists, numbers and strings: totals, per host counts, the failures. */
    public static Map<String, Object> summary(PlayRecap recap, boolean check) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("check", check);
        doc.put("succeeded", recap.succeeded());
        doc.put("duration_ms", recap.duration().toMillis());
        doc.put("hosts", new ArrayList<>(recap.hosts().keySet()));
        doc.put("ok", recap.total(TaskStatus.OK));
        doc.put("changed", recap.total(TaskStatus.CHANGED));
        doc.put("failed", recap.total(TaskStatus.FAILED));
        doc.put("skipped", recap.total(TaskStatus.SKIPPED));
        doc.put("aborted", recap.total(TaskStatus.ABORTED));
        doc.put("unreachable", recap.hosts().values().stream().filter(PlayRecap.Counts::unreachable).count());
        doc.put("per_host", hostCounts(recap));
        List<String> failures = new ArrayList<>();
        for (TaskResult r : recap.results()) {
            if (r.status() == TaskStatus.FAILED || r.status() == TaskStatus.ABORTED) {
                failures.add(r.host() + " | " + r.task() + ": " + r.message());
            }
        }
        doc.put("failures", failures);
        return doc;
    }
}
