package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import fr.gouv.data.catalogue.ops.report.HostToolRun;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What catalogueDoctor, catalogueInitdata and catalogueRun return and say, from the facade's reports (no host). */
class DayTwoStepsTest {
    static final ToolRunReport FAILED = new ToolRunReport("prod", "initdata", List.of("venv/bin/python", "-m", "tools.initdata"),
            List.of(new HostToolRun("web-1", "20261201180509-0123456", "0123456789", 0, "created 3 organizations", Duration.ofMillis(1500)),
                    new HostToolRun("web-2", "20261201180509-0123456", "0123456789", 3, "IntegrityError: duplicate key", Duration.ofMillis(200))),
            Duration.ofSeconds(2));

    @Test
    void aToolRunIsAMapWithTheToolsOwnExitCode() {
        Map<String, Object> r = CatalogueRunStep.result(FAILED);
        assertEquals(List.of("environment", "tool", "succeeded", "exitCode", "hosts", "durationMs", "perHost"), List.copyOf(r.keySet()));
        assertEquals(false, r.get("succeeded"));
        assertEquals(3, r.get("exitCode"));
        assertEquals(List.of("web-1", "web-2"), r.get("hosts"));
        Map<String, Object> web2 = new LinkedHashMap<>();
        web2.put("release", "20261201180509-0123456");
        web2.put("commit", "0123456789");
        web2.put("exitCode", 3);
        web2.put("message", "IntegrityError: duplicate key");
        web2.put("durationMs", 200L);
        assertEquals(web2, ((Map<?, ?>) r.get("perHost")).get("web-2"));
    }

    @Test
    void aFailureNamesTheHostAndTheExitCode() {
        assertEquals("failed on web-2 (release 20261201180509-0123456) with exit code 3: IntegrityError: duplicate key",
                CatalogueRunStep.failed(FAILED));
        assertEquals("", CatalogueRunStep.failed(new ToolRunReport("prod", "dedupe-tags", List.of(), List.of(FAILED.hosts().get(0)),
                Duration.ZERO)));
    }

    @Test
    void theToolsLinesAndTheRecapInTheBuildLog() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CatalogueRunStep.stream(log, true).line("web-1", false, "loading");
        CatalogueRunStep.stream(log, false).line("web-1", true, "a warning");
        CatalogueRunStep.recap(log, FAILED);
        assertEquals(List.of("web-1 | loading", "a warning",
                "done   initdata on web-1 (release 20261201180509-0123456): exit 0 (created 3 organizations), 1.5 s",
                "FAILED initdata on web-2 (release 20261201180509-0123456): exit 3 (IntegrityError: duplicate key), 0.2 s"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void doctorsReportIsAMapWithItsChecks() {
        DoctorReport report = new DoctorReport("prod", List.of(new DoctorCheck("web-1", "nginx -t", DoctorStatus.OK, "ok", ""),
                new DoctorCheck("web-1", "through nginx", DoctorStatus.FAIL, "502", "run catalogue-ops status prod")), Duration.ofSeconds(4));
        Map<String, Object> r = CatalogueDoctorStep.result(report);
        assertEquals(List.of("environment", "healthy", "durationMs", "checks"), List.copyOf(r.keySet()));
        assertEquals(false, r.get("healthy"));
        assertEquals(4000L, r.get("durationMs"));
        assertEquals(List.of(Map.of("host", "web-1", "check", "nginx -t", "status", "ok", "evidence", "ok", "advice", ""),
                Map.of("host", "web-1", "check", "through nginx", "status", "FAIL", "evidence", "502", "advice",
                        "run catalogue-ops status prod")), r.get("checks"));
    }
}
