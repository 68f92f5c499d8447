package fr.gouv.data.catalogue.ops.internal.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reissue records and the hour between two reissues of a name. */
class ReissueLogTest {
    static final Instant AT = Instant.parse("2026-12-01T21:00:00Z");

    static String line(String name, Instant at, String result) {
        return ReissueLog.line(new ReissueLog.Entry(name, at, "ops", "laptop", result));
    }

    @Test
    void aRecordIsOneJsonLine() {
        assertEquals("{\"at\":\"2026-12-01T21:00:00Z\",\"epoch\":1796158800,\"name\":\"a.example.org\",\"result\":\"started\","
                + "\"user\":\"ops\",\"from\":\"laptop\"}", line("a.example.org", AT, "started"));
    }

    @Test
    void aSecondReissueWithinTheHourIsRefusedNamingWhenWhoAndForce() {
        String log = line("a.example.org", AT, "started") + "\n" + line("a.example.org", AT.plusSeconds(20), "issued") + "\n";
        assertEquals(Optional.of("web-1: a.example.org was reissued 12 min ago (2026-12-01T21:00:20Z, by ops from laptop); the"
                        + " ACME server limits the certificates it issues for the same names, so a second reissue within an hour"
                        + " is refused: wait 48 min, or pass --force"),
                ReissueLog.refusal("web-1", "a.example.org", log, AT.plusSeconds(20 + 12 * 60 + 30)));
    }

    @Test
    void aFailedAttemptCountsToo() {
        String log = line("a.example.org", AT, "failed") + "\n";
        assertEquals(true, ReissueLog.refusal("web-1", "a.example.org", log, AT.plusSeconds(60)).orElseThrow()
                .startsWith("web-1: a.example.org had a reissue attempted (failed) 1 min ago"));
    }

    @Test
    void anHourLaterAnotherNameOrNoRecordGoesAhead() {
        String log = line("a.example.org", AT, "issued") + "\n{\"cut by a cra\n";
        assertEquals(Optional.empty(), ReissueLog.refusal("web-1", "a.example.org", log, AT.plusSeconds(3600)));
        assertEquals(Optional.empty(), ReissueLog.refusal("web-1", "b.example.org", log, AT.plusSeconds(10)));
        assertEquals(Optional.empty(), ReissueLog.refusal("web-1", "a.example.org", "", AT));
        assertEquals(true, ReissueLog.refusal("web-1", "a.example.org", log, AT.plusSeconds(3599)).isPresent());
    }
}
