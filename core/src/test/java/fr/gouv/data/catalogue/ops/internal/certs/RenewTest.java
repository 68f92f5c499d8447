package fr.gouv.data.catalogue.ops.internal.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.HostCertRenewal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A renewal reloads nginx, after {@code nginx -t}, only when certbot changed a certificate. */
class RenewTest {
    static String state(String serial) {
        return "1796158800\n@@ reissues\n@@ certbot\nFound the following certs:\n  Certificate Name: a.example.org\n"
                + "    Serial Number: " + serial + "\n    Domains: a.example.org\n"
                + "    Expiry Date: 2026-12-11 21:00:00+00:00 (VALID: 10 days)\n"
                + "    Certificate Path: /etc/letsencrypt/live/a.example.org/fullchain.pem\n";
    }

    /** A host answering the state probes with {@code states} in turn, every other command with {@code exit}; what it was sent is kept. */
    static Remote host(List<String> sent, Deque<String> states, int renewExit, int nginxExit) {
        return new Remote() {
            public String host() {
                return "web-1";
            }

            public ExecResult exec(Command command, OutputListener listener) {
                String line = command.toString();
                sent.add(line);
                if (line.contains("@@ reissues")) {
                    return new ExecResult("web-1", 0, states.removeFirst(), "", Duration.ZERO);
                }
                int exit = line.contains("certbot renew") ? renewExit : line.contains("nginx") ? nginxExit : 0;
                return new ExecResult("web-1", exit, "", exit == 0 ? "" : "line 1\nthe last error\n", Duration.ZERO);
            }

            public void upload(byte[] content, String path, String mode, String owner, String becomeUser) {
                throw new AssertionError("no upload expected");
            }

            public byte[] download(String path) {
                throw new AssertionError("no download expected");
            }

            public void close() {
            }
        };
    }

    static HostCertRenewal renew(List<String> sent, int renewExit, int nginxExit, String... states) throws Exception {
        Remote remote = host(sent, new ArrayDeque<>(List.of(states)), renewExit, nginxExit);
        return Certificates.renew(new CertHost("web-1", null, remote, null), "/etc/ssl/acme.pem");
    }

    @Test
    void aChangedSerialReloadsNginxAfterItsCheck() throws Exception {
        List<String> sent = new ArrayList<>();
        HostCertRenewal r = renew(sent, 0, 0, state("aa"), state("bb"));
        assertEquals(new HostCertRenewal("web-1", List.of("a.example.org"), List.of(), true, true,
                "renewed a.example.org; nginx reloaded"), r);
        assertEquals(List.of(Certbot.state().toString(), "env REQUESTS_CA_BUNDLE=/etc/ssl/acme.pem certbot renew -n"
                + " --no-random-sleep-on-renew", Certbot.state().toString(), fr.gouv.data.catalogue.ops.internal.deploy.Nginx.testAndReload().toString()), sent);
    }

    @Test
    void nothingDueLeavesNginxAlone() throws Exception {
        List<String> sent = new ArrayList<>();
        HostCertRenewal r = renew(sent, 0, 0, state("aa"), state("aa"));
        assertEquals(new HostCertRenewal("web-1", List.of(), List.of("a.example.org"), false, true,
                "nothing renewed (a.example.org: not due yet); nginx not reloaded"), r);
        assertEquals(3, sent.size(), sent.toString());
    }

    @Test
    void aRefusedConfigurationIsNotReloadedAndSaysSo() throws Exception {
        HostCertRenewal r = renew(new ArrayList<>(), 0, 1, state("aa"), state("bb"));
        assertEquals(List.of(false, false, "renewed a.example.org but nginx -t refused the configuration, so nginx still serves"
                + " the old certificate: line 1 the last error; fix the configuration (catalogue-ops provision), then reload nginx"),
                List.of(r.nginxReloaded(), r.succeeded(), r.message()));
    }

    @Test
    void aFailedRenewalIsAFailureWithCertbotsLastLines() throws Exception {
        HostCertRenewal r = renew(new ArrayList<>(), 1, 0, state("aa"), state("aa"));
        assertEquals(List.of(false, "certbot renew failed (exit 1): line 1 the last error; nothing renewed (a.example.org: not"
                + " due yet); nginx not reloaded"), List.of(r.succeeded(), r.message()));
    }
}
