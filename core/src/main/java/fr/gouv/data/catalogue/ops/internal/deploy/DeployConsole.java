package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import fr.gouv.data.catalogue.ops.report.DeployStep;
import fr.gouv.data.catalogue.ops.report.HostDeploy;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a deploy reads on a console (the command line, a build log): a line per step as it ends, a recap, and the same as maps. */
public final class DeployConsole {
    private DeployConsole() {
    }

    /** A step as it ends: status, host, step, duration, message. */
    public static DeployListener progress(PrintStream out) {
        return step -> {
            synchronized (out) {
                out.printf("  %-8s %s | %s (%.1f s)%s%n", step.status(), step.host(), step.step(), step.duration().toMillis() / 1000.0,
                        step.message().isEmpty() ? "" : ": " + step.message());
                out.flush();
            }
        };
    }

    /** One line per host (result, release, side, what it replaced), then the outcome. */
    public static void recap(PrintStream out, DeployReport r) {
        out.println();
        for (HostDeploy h : r.hosts()) {
            out.printf("%-24s %-14s %s%s%s%n", h.host(), h.result(), h.release(), h.side().isEmpty() ? "" : " (" + h.side() + ")",
                    h.previousRelease().isEmpty() || h.previousRelease().equals(h.release()) ? "" : ", was " + h.previousRelease());
            if (!h.message().isEmpty() && !h.message().equals(r.message())) {
                out.println("    " + h.message());
            }
        }
        out.println(r.message() + " (" + String.format("%.1f", r.duration().toMillis() / 1000.0) + " s)");
        out.flush();
    }

    /** The report as maps, lists, numbers and strings (for JSON, or a Pipeline step's result). */
    public static Map<String, Object> summary(DeployReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", r.environment());
        doc.put("operation", r.operation());
        doc.put("commit", r.commit());
        doc.put("ref", r.ref());
        doc.put("check", r.check());
        doc.put("succeeded", r.succeeded());
        doc.put("message", r.message());
        doc.put("duration_ms", r.duration().toMillis());
        Map<String, Object> hosts = new LinkedHashMap<>();
        for (HostDeploy h : r.hosts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("release", h.release());
            m.put("side", h.side());
            m.put("previous_release", h.previousRelease());
            m.put("reused_venv", h.reusedVenv());
            m.put("reused_node_modules", h.reusedNodeModules());
            m.put("result", h.result());
            m.put("message", h.message());
            List<Map<String, Object>> steps = new ArrayList<>();
            for (DeployStep s : h.steps()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("step", s.step());
                sm.put("status", s.status());
                sm.put("message", s.message());
                sm.put("duration_ms", s.duration().toMillis());
                steps.add(sm);
            }
            m.put("steps", steps);
            hosts.put(h.host(), m);
        }
        doc.put("hosts", hosts);
        return doc;
    }
}
