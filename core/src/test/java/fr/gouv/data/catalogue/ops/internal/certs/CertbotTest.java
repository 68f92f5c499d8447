package fr.gouv.data.catalogue.ops.internal.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The certificate commands, exactly as the host receives them. */
class CertbotTest {
    @Test
    void stateReadsTheClockTheRecordsAndCertbotsListingInOneCommand() {
        assertEquals("sh -c 'date +%s; echo '\\''@@ reissues'\\''; cat \"$1\" 2>/dev/null; echo '\\''@@ certbot'\\'';"
                + " certbot certificates 2>&1' sh /var/lib/catalogue-ops/certificate-reissues.jsonl", Certbot.state().toString());
    }

    @Test
    void renewRunsNowWithoutCertbotsRandomWait() {
        assertEquals("certbot renew -n --no-random-sleep-on-renew", Certbot.renew(null).toString());
        assertEquals("env REQUESTS_CA_BUNDLE=/etc/ssl/acme.pem certbot renew -n --no-random-sleep-on-renew",
                Certbot.renew("/etc/ssl/acme.pem").toString());
        assertEquals(Duration.ofMinutes(5), Certbot.renew(null).timeout());
    }

    @Test
    void revokeKeepsTheFilesForDeleteAndNamesTheServerWhenGiven() {
        assertEquals("certbot revoke -n --cert-name catalogue.example.org --reason superseded --no-delete-after-revoke",
                Certbot.revoke("catalogue.example.org", null, " ").toString());
        assertEquals("env REQUESTS_CA_BUNDLE=/etc/ssl/acme.pem certbot revoke -n --cert-name web.catalogue.test --reason"
                        + " superseded --no-delete-after-revoke --server https://10.0.0.1:14000/dir",
                Certbot.revoke("web.catalogue.test", "https://10.0.0.1:14000/dir", "/etc/ssl/acme.pem").toString());
    }

    @Test
    void deleteAndRecord() {
        assertEquals("certbot delete -n --cert-name catalogue.example.org", Certbot.delete("catalogue.example.org").toString());
        assertEquals("sh -c 'umask 022 && mkdir -p \"$(dirname \"$1\")\" && printf '\\''%s\\n'\\'' \"$2\" >> \"$1\"' sh"
                + " /var/lib/catalogue-ops/certificate-reissues.jsonl '{\"name\":\"x\"}'", Certbot.record("{\"name\":\"x\"}").toString());
    }
}
