package fr.gouv.data.catalogue.ops.internal.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.gouv.data.catalogue.ops.report.CertificateInfo;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code certbot certificates} read as the guide shows it, and as certbot prints expired, revoked and no certificates. */
class CertbotListingTest {
    static final String GUIDE = """
            Saving debug log to /var/log/letsencrypt/letsencrypt.log

            - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
            Found the following certs:
              Certificate Name: staging.catalogue.multi.coop
                Serial Number: 44fdad5f55bedd1be22e249bc9928b1977f
                Key Type: RSA
                Domains: staging.catalogue.multi.coop
                Expiry Date: 2022-06-26 14:59:19+00:00 (VALID: 89 days)
                Certificate Path: /etc/letsencrypt/live/staging.catalogue.multi.coop/fullchain.pem
                Private Key Path: /etc/letsencrypt/live/staging.catalogue.multi.coop/privkey.pem
            - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -
            """;

    @Test
    void readsTheGuidesExample() {
        List<CertificateInfo> all = CertbotListing.parse("web-1", GUIDE, Instant.parse("2022-03-28T20:00:00Z"));
        assertEquals(List.of(new CertificateInfo("web-1", "staging.catalogue.multi.coop", "44fdad5f55bedd1be22e249bc9928b1977f",
                "RSA", List.of("staging.catalogue.multi.coop"), "2022-06-26T14:59:19Z", 89, true, "VALID: 89 days",
                "/etc/letsencrypt/live/staging.catalogue.multi.coop/fullchain.pem",
                "/etc/letsencrypt/live/staging.catalogue.multi.coop/privkey.pem")), all);
    }

    @Test
    void severalCertificatesExpiredAndRevokedOnesAndSeveralDomains() {
        String text = """
                Found the following certs:
                  Certificate Name: a.example.org
                    Serial Number: 0A1B
                    Key Type: ECDSA
                    Domains: a.example.org www.a.example.org
                    Expiry Date: 2026-11-30 10:00:00+00:00 (INVALID: EXPIRED)
                    Certificate Path: /etc/letsencrypt/live/a.example.org/fullchain.pem
                    Private Key Path: /etc/letsencrypt/live/a.example.org/privkey.pem
                  Certificate Name: b.example.org
                    Serial Number: ff
                    Domains: b.example.org
                    Expiry Date: 2027-01-01 00:00:00+00:00 (INVALID: REVOKED)
                    Certificate Path: /etc/letsencrypt/live/b.example.org/fullchain.pem
                    Private Key Path: /etc/letsencrypt/live/b.example.org/privkey.pem
                """;
        List<CertificateInfo> all = CertbotListing.parse("web-1", text, Instant.parse("2026-12-01T12:00:00Z"));
        assertEquals(List.of("a.example.org 0a1b ECDSA [a.example.org, www.a.example.org] -2 false INVALID: EXPIRED",
                        "b.example.org ff  [b.example.org] 30 false INVALID: REVOKED"),
                all.stream().map(c -> c.name() + " " + c.serial() + " " + c.keyType() + " " + c.domains() + " " + c.daysLeft() + " "
                        + c.valid() + " " + c.status()).toList());
    }

    @Test
    void noCertificates() {
        assertEquals(List.of(), CertbotListing.parse("web-1", "Saving debug log to /var/log/letsencrypt/letsencrypt.log\n\n"
                + "No certificates found.\n", Instant.EPOCH));
    }

    @Test
    void anEntryWithoutItsExpiryIsRefusedNotGuessed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CertbotListing.parse("web-1",
                "  Certificate Name: a.example.org\n    Expiry Date: soon\n", Instant.EPOCH));
        assertEquals("certificate a.example.org: no expiry date in certbot's listing", e.getMessage());
    }
}
