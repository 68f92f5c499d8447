package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.testbed.AcmeServer;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certs}, {@code certs renew} and {@code certs reissue} on one test host whose certificate
 * comes from a local ACME server (pebble, issuing certificates valid 10 days, so that certbot finds
 * them due). Each new certificate is proven by the serial nginx serves over HTTPS, to a client that
 * trusts only the ACME server's root.
 */
@Testbed(hosts = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertsCommandTest {
    static final String DOMAIN = "web.catalogue.test";
    static final String PASSWORD = "vault-pw-Certs-7d21";
    static final String LOG = "var/lib/catalogue-ops/certificate-reissues.jsonl";

    @TempDir
    static Path tmp;
    static String opsDir;
    static String env;
    static TestHost web;
    static AcmeServer acme;
    static String servedAtStart;

    @BeforeAll
    static void hostWithACertificate(TestHosts hosts) throws Exception {
        Path ops = tmp.resolve("ops/ansible");
        opsDir = ops.toString();
        web = hosts.host(0);
        env = hosts.name();
        VaultSecret secret = new VaultSecret(VaultSecret.DEFAULT_LABEL, PASSWORD.getBytes(StandardCharsets.UTF_8), "test");
        Path dir = TestbedEnvironment.write(ops, hosts, new Vault(List.of(secret)), secret);
        Files.writeString(ops.resolve("vault-password"), PASSWORD + "\n");
        // what the nginx and tls tags configure; their packages are installed by the provision tag, with the runtimes
        ssh(hosts, "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx"
                + " certbot cron && (service nginx status || service nginx start)");
        acme = AcmeServer.start(hosts, web, Duration.ofDays(10));
        Files.copy(acme.caBundle(), web.root().resolve("etc/ssl/test-acme-server.pem"));
        Path vars = dir.resolve("group_vars/web.yml");
        Files.writeString(vars, Files.readString(vars).replace("tls_enabled: false\n", "tls_enabled: true\ndomain_name: " + DOMAIN
                + "\nacme_server: \"" + acme.directoryUrl() + "\"\nacme_ca_bundle: /etc/ssl/test-acme-server.pem\n"));
        CliRun cli = cli("provision", env, "--tags", "nginx,tls");
        assertEquals(0, cli.exitCode, cli.toString());
        servedAtStart = served();
    }

    @AfterAll
    static void stopAcme() {
        if (acme != null) {
            acme.close();
        }
    }

    static CliRun cli(String... args) {
        return new CliRun(tmp).run(CliRun.concat(new String[] {"--ops-dir", opsDir}, args));
    }

    @Test
    @Order(1)
    void listShowsTheCertificateNginxServes() throws Exception {
        CliRun cli = cli("certs", env);
        assertEquals(0, cli.exitCode, cli.toString());
        List<String> lines = cli.out.lines().toList();
        assertEquals(2, lines.size(), cli.out);
        assertTrue(lines.get(0).matches("host +name +domains +expiry +days left +status +serial +certificate"), cli.out);
        assertTrue(lines.get(1).matches(web.name() + " +" + DOMAIN + " +" + DOMAIN + " +\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z +(9|10) +VALID: (9|10)"
                + " days +" + servedAtStart + " +/etc/letsencrypt/live/" + DOMAIN + "/fullchain.pem"), cli.out);

        JsonNode cert = certificate();
        assertEquals(List.of(DOMAIN, DOMAIN, servedAtStart, "/etc/letsencrypt/live/" + DOMAIN + "/privkey.pem", "true"),
                List.of(cert.get("name").asText(), cert.get("domains").get(0).asText(), cert.get("serial").asText(),
                        cert.get("private_key_path").asText(), cert.get("valid").asText()));
        assertTrue(cert.get("days_left").asInt() >= 9 && cert.get("days_left").asInt() <= 10, cert.toString());
    }

    @Test
    @Order(2)
    void reissueWithoutYesSaysWhatWouldHappenAndChangesNothing() throws Exception {
        byte[] live = Files.readAllBytes(web.root().resolve("etc/letsencrypt/live/" + DOMAIN + "/cert.pem"));
        CliRun cli = cli("certs", "reissue", env, "--force");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().startsWith("catalogue-ops: certs reissue " + env + " changes nothing without --yes; with it: "
                + web.name() + ": revoke the certificate " + DOMAIN + ", delete it, and obtain a new one for " + DOMAIN
                + " through the webroot from " + acme.directoryUrl()), cli.err);
        assertEquals(servedAtStart, served());
        assertTrue(java.util.Arrays.equals(live, Files.readAllBytes(web.root().resolve("etc/letsencrypt/live/" + DOMAIN
                + "/cert.pem"))), "the certificate on disk is the same");
        assertFalse(Files.exists(web.root().resolve(LOG)), "no reissue recorded");
    }

    @Test
    @Order(3)
    void renewGivesANewCertificateThatNginxServes() throws Exception {
        CliRun cli = cli("certs", "renew", env);
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals(web.name() + ": renewed " + DOMAIN + "; nginx reloaded\n", cli.out);
        String listed = certificate().get("serial").asText();
        assertNotEquals(servedAtStart, listed);
        assertEquals(listed, servedOnceChangedFrom(servedAtStart));
    }

    @Test
    @Order(4)
    void reissueRevokesTheCertificateAndNginxServesANewOne() throws Exception {
        String before = served();
        CliRun cli = cli("certs", "reissue", env, "--yes");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.err.contains("catalogue-ops: warning: the ACME server limits how many certificates it issues"), cli.err);
        String listed = certificate().get("serial").asText();
        assertTrue(cli.out.contains(web.name() + ": revoked " + before + ", obtained " + listed + " (expires "), cli.out);
        assertEquals(listed, servedOnceChangedFrom(before));
        assertEquals("Revoked", acmeStatus(before), "the ACME server revoked the old one");
        assertEquals("Valid", acmeStatus(listed));
        assertTrue(Files.readString(web.root().resolve(LOG)).contains("\"name\":\"" + DOMAIN + "\",\"result\":\"issued\""));
    }

    @Test
    @Order(5)
    void aSecondReissueWithinTheHourIsRefusedAndForceAllowsIt() throws Exception {
        String before = served();
        String log = Files.readString(web.root().resolve(LOG));
        CliRun cli = cli("certs", "reissue", env, "--yes");
        assertEquals(1, cli.exitCode, cli.toString());
        String error = cli.err.lines().filter(l -> !l.startsWith("catalogue-ops: warning: ")).reduce("", String::concat);
        assertTrue(error.matches("catalogue-ops: " + web.name() + ": " + DOMAIN.replace(".", "\\.") + " was reissued \\d+ min ago \\(.*"
                + "a second reissue within an hour is refused: wait \\d+ min, or pass --force; nothing was changed"), cli.err);
        assertEquals(before, served());
        assertEquals(log, Files.readString(web.root().resolve(LOG)), "a refusal records nothing");

        cli = cli("certs", "reissue", env, "--yes", "--force", "--json");
        assertEquals(0, cli.exitCode, cli.toString());
        JsonNode host = new ObjectMapper().readTree(cli.out).get("hosts").get(0);
        assertEquals(List.of(before, "true", "true"), List.of(host.get("previous_serial").asText(), host.get("revoked").asText(),
                host.get("succeeded").asText()), host.toString());
        assertEquals(host.get("serial").asText(), servedOnceChangedFrom(before));
    }

    @Test
    @Order(6)
    void aReissueWaitsForNoDeployItIsRefusedWhileTheDeployLockIsHeld() throws Exception {
        String before = served();
        String log = Files.readString(web.root().resolve(LOG));
        Path lock = web.root().resolve("root/catalogage/.deploy-lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("lock.json"), "{\"user\":\"alice\",\"from\":\"laptop\",\"pid\":4242,\"since\":"
                + "\"2026-12-01T10:00:00Z\",\"operation\":\"deploy\",\"version\":\"v2\",\"token\":\"t\"}\n");
        Files.writeString(lock.resolve("heartbeat"), "");
        try {
            CliRun cli = cli("certs", "reissue", env, "--yes", "--force");
            assertEquals(1, cli.exitCode, cli.toString());
            String error = cli.err.lines().filter(l -> !l.startsWith("catalogue-ops: warning: ")).reduce("", String::concat);
            assertTrue(error.contains("the deploy lock of " + env + " is held by alice from laptop (pid 4242)"), cli.err);
            assertEquals(before, served(), "nothing reissued");
            assertEquals(log, Files.readString(web.root().resolve(LOG)), "nothing recorded");
        } finally {
            assertEquals(0, cli("lock", "release", env).exitCode);
        }
        assertFalse(Files.exists(lock));
    }

    static JsonNode certificate() throws Exception {
        CliRun cli = cli("certs", env, "--json");
        assertEquals(0, cli.exitCode, cli.toString());
        JsonNode hosts = new ObjectMapper().readTree(cli.out).get("hosts");
        assertEquals(1, hosts.size(), cli.out);
        assertEquals(1, hosts.get(0).get("certificates").size(), cli.out);
        return hosts.get(0).get("certificates").get(0);
    }

    /** The serial nginx serves once it is no longer {@code old} (a graceful reload lets old workers finish first). */
    static String servedOnceChangedFrom(String old) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String now = served();
        while (now.equals(old) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = served();
        }
        return now;
    }

    /** The serial of the certificate nginx serves for {@link #DOMAIN}, to a client that trusts only the ACME server's root. */
    static String served() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(acme.issuingRoot())) {
            trust.setCertificateEntry("acme-root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(web.address(), 443), 5000);
            socket.setSoTimeout(5000);
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(DOMAIN)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(p);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
        }
    }

    /** What the ACME server says of a certificate it issued: {@code Valid} or {@code Revoked}. */
    static String acmeStatus(String serial) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--fail", "--cacert", acme.caBundle().toString(),
                acme.managementUrl() + "/cert-status-by-serial/" + serial).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return new ObjectMapper().readTree(out).get("Status").asText();
    }

    private static void ssh(TestHosts hosts, String command) throws Exception {
        Process p = new ProcessBuilder(hosts.sshArgv(web, "root", command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, command + ":\n" + out);
    }
}
