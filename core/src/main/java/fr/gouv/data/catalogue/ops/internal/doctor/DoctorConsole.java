package fr.gouv.data.catalogue.ops.internal.doctor;

import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How doctor's report reads on a console (the command line, a build log), and its checks as maps. */
public final class DoctorConsole {
    private DoctorConsole() {
    }

    /** A line per check under its host (status, check, evidence), the next step under each that is not ok, then the counts. */
    public static void print(PrintStream out, DoctorReport r) {
        int width = r.checks().stream().mapToInt(c -> c.check().length()).max().orElse(10);
        String host = null;
        for (DoctorCheck c : r.checks()) {
            if (!c.host().equals(host)) {
                host = c.host();
                out.println(host);
            }
            out.println(String.format("  %-4s  %-" + width + "s  %s", c.status().label(), c.check(), c.evidence()).stripTrailing());
            if (c.status() != DoctorStatus.OK && !c.advice().isEmpty()) {
                out.println(" ".repeat(width + 10) + "-> " + c.advice());
            }
        }
        out.println(counts(r));
        out.flush();
    }

    /** {@code ENV: N ok, N warn, N FAIL}. */
    public static String counts(DoctorReport r) {
        long ok = r.checks().stream().filter(c -> c.status() == DoctorStatus.OK).count();
        long warn = r.checks().stream().filter(c -> c.status() == DoctorStatus.WARN).count();
        long fail = r.checks().stream().filter(c -> c.status() == DoctorStatus.FAIL).count();
        return r.environment() + ": " + ok + " ok, " + warn + " warn, " + fail + " FAIL";
    }

    /** Every check as a map: {@code host}, {@code check}, {@code status} (its label), {@code evidence}, {@code advice}. */
    public static List<Map<String, Object>> checks(DoctorReport r) {
        List<Map<String, Object>> checks = new ArrayList<>();
        for (DoctorCheck c : r.checks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", c.host());
            m.put("check", c.check());
            m.put("status", c.status().label());
            m.put("evidence", c.evidence());
            m.put("advice", c.advice());
            checks.add(m);
        }
        return checks;
    }
}
