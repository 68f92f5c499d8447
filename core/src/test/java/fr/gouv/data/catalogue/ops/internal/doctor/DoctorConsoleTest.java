package fr.gouv.data.catalogue.ops.internal.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Doctor's report as a console and a build log show it, and as maps. */
class DoctorConsoleTest {
    static final DoctorReport REPORT = new DoctorReport("prod", List.of(
            new DoctorCheck("web-1", "nginx -t", DoctorStatus.OK, "syntax is ok", "ignored when ok"),
            new DoctorCheck("web-1", "through nginx", DoctorStatus.FAIL, "502", "the live side is down; run catalogue-ops status prod"),
            new DoctorCheck("web-2", "disk", DoctorStatus.WARN, "", "")), Duration.ofSeconds(3));

    @Test
    void aLinePerCheckUnderItsHostTheAdviceUnderEachThatIsNotOkThenTheCounts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DoctorConsole.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), REPORT);
        assertEquals(String.join("\n",
                "web-1",
                "  ok    nginx -t       syntax is ok",
                "  FAIL  through nginx  502",
                "                       -> the live side is down; run catalogue-ops status prod",
                "web-2",
                "  warn  disk",
                "prod: 1 ok, 1 warn, 1 FAIL", ""), bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void everyCheckAsAMap() {
        assertEquals(Map.of("host", "web-2", "check", "disk", "status", "warn", "evidence", "", "advice", ""),
                DoctorConsole.checks(REPORT).get(2));
        assertEquals(List.of("host", "check", "status", "evidence", "advice"), List.copyOf(DoctorConsole.checks(REPORT).get(0).keySet()));
        assertEquals("FAIL", DoctorConsole.checks(REPORT).get(1).get("status"));
    }
}
