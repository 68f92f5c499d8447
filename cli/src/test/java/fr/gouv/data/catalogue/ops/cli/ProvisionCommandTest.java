package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.testbed.AcmeServer;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.TestbedExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code provision} on fresh test hosts: check mode changes nothing, a first run provisions, a
 * second changes nothing, drift is repaired with a diff, an unreachable host fails alone, and a
 * broken template is a clear per-host error.
 */
class ProvisionCommandTest {
    @TempDir
    Path tmp;

    @Test
    void provisionsFreshHostsIdempotently() throws Exception {
        TestbedExtension.requireRoot();
        String name = TestHosts.newName();
        Path ops = tmp.resolve("ops/ansible");
        CliRun cli = new CliRun(tmp);
        String opsDir = ops.toString();
        try {
            assertEquals(0, cli.run("--ops-dir", opsDir, "testbed", "up", "--hosts", "2", "--name", name).exitCode, cli.toString());
            TestHosts hosts = TestHosts.attach(name);
            TestHost web = hosts.host(0);

            cli.run("--ops-dir", opsDir, "provision", name, "--check");
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.contains("would: install nginx"), cli.out);
            assertFalse(Files.exists(web.root().resolve("usr/sbin/nginx")), "check mode installed nothing");
            assertFalse(Files.exists(web.root().resolve("etc/nginx/sites-enabled/catalogage.conf")));

            // the second host is cut off: it fails alone, the first is provisioned
            hosts.partition(hosts.host(1));
            try {
                cli.run("--ops-dir", opsDir, "provision", name);
            } finally {
                hosts.heal(hosts.host(1));
            }
            assertEquals(1, cli.exitCode, cli.toString());
            assertTrue(cli.out.matches("(?s).*\n" + name + "-2 +ok=0 +changed=0 +failed=1 +skipped=0 +unreachable=1\n.*"), cli.out);
            assertTrue(cli.out.contains("failed   " + name + "-2 | connect"), cli.out);
            assertTrue(cli.out.matches("(?s).*" + name + "-1 +ok=\\d+ +changed=\\d+ +failed=0 .*"), cli.out);

            // a reload is asynchronous: nginx's old workers may answer with the default site for a moment
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + web.address() + "/")).build();
            HttpResponse<String> page = http.send(get, HttpResponse.BodyHandlers.ofString());
            for (long end = System.nanoTime() + 10_000_000_000L; page.statusCode() != 502 && System.nanoTime() < end; ) {
                Thread.sleep(100);
                page = http.send(get, HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(502, page.statusCode(), "nginx answers with the app site, no app behind it yet");
            assertEquals("nginx", page.headers().firstValue("server").orElse(""), "server_tokens off");

            cli.run("--ops-dir", opsDir, "provision", name, "--limit", name + "-1", "--json");
            assertEquals(0, cli.exitCode, cli.toString());
            JsonNode second = new ObjectMapper().readTree(cli.out);
            assertEquals(0, second.get("per_host").get(name + "-1").get("changed").asInt(), "a second run changes nothing");
            assertEquals(1, second.get("hosts").size(), "--limit");

            Files.writeString(web.root().resolve("etc/nginx/nginx.conf"), Files.readString(web.root().resolve("etc/nginx/nginx.conf"))
                    .replace("worker_connections 768;", "worker_connections 1024;"));
            cli.run("--ops-dir", opsDir, "provision", name, "--limit", name + "-1", "--diff", "--tags", "nginx");
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.contains("-    worker_connections 1024;") && cli.out.contains("+    worker_connections 768;"), cli.out);
            assertTrue(cli.out.contains("changed  " + name + "-1 | handler: reload nginx"), cli.out);
            assertFalse(cli.out.contains("apt cache"), "--tags nginx runs the nginx tasks only");

            tlsOnOffAndOnAgain(cli, opsDir, name, hosts, web);

            Files.createDirectories(ops.resolve("templates"));
            Files.writeString(ops.resolve("templates/catalogage.conf.j2"), "server { listen {{ 1 + }}; }\n");
            cli.run("--ops-dir", opsDir, "provision", name, "--limit", name + "-1");
            assertEquals(1, cli.exitCode, cli.toString());
            assertTrue(cli.out.contains("template error"), cli.out);
            assertTrue(cli.out.contains(ops.resolve("templates/catalogage.conf.j2").toString()), "names the file: " + cli.out);
        } finally {
            TestHosts.destroy(name);
        }
    }

    /** A real certificate from a local ACME server, proven by an HTTPS request that trusts only its root. */
    private static void tlsOnOffAndOnAgain(CliRun cli, String opsDir, String name, TestHosts hosts, TestHost web) throws Exception {
        try (AcmeServer acme = AcmeServer.start(hosts, web)) {
            Files.copy(acme.caBundle(), web.root().resolve("etc/ssl/test-acme-server.pem"));
            String domain = "web.catalogue.test";
            String[] base = {"--ops-dir", opsDir, "-e", "domain_name=" + domain};
            String[] tls = {"--ops-dir", opsDir, "-e", "domain_name=" + domain, "-e", "tls_enabled=true", "-e",
                    "acme_server=" + acme.directoryUrl(), "-e", "acme_ca_bundle=/etc/ssl/test-acme-server.pem"};
            String[] limit = {"provision", name, "--limit", name + "-1"};

            cli.run(CliRun.concat(tls, limit));
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.contains("obtain a certificate for " + domain), cli.out);
            assertEquals("502", https(web, domain, acme), "TLS through nginx with the certificate pebble issued");
            assertTrue(Files.readString(web.root().resolve("var/spool/cron/crontabs/root"))
                    .contains("#Ansible: certs_renewal\n@weekly certbot renew -q\n"));
            assertTrue(Files.exists(web.root().resolve("etc/nginx/dhparams.pem")));
            cli.run(CliRun.concat(tls, limit));
            assertTrue(cli.out.matches("(?s).*\n" + name + "-1 +ok=\\d+ +changed=0 .*"), "idempotent with TLS: " + cli.out);

            cli.run(CliRun.concat(base, limit));
            assertEquals(0, cli.exitCode, cli.toString());
            assertFalse(Files.exists(web.root().resolve("etc/nginx/sites-enabled/acme-challenge.conf")), "TLS off: no challenge site");
            assertTrue(Files.readString(web.root().resolve("etc/nginx/sites-enabled/catalogage.conf")).contains("listen 80 default_server;"));

            cli.run(CliRun.concat(tls, limit));
            assertEquals(0, cli.exitCode, cli.toString());
            assertFalse(cli.out.contains("obtain a certificate"), "the certificate is kept: " + cli.out);
            assertEquals("502", https(web, domain, acme));
            cli.run(CliRun.concat(tls, limit));
            assertTrue(cli.out.matches("(?s).*\n" + name + "-1 +ok=\\d+ +changed=0 .*"), "converged: " + cli.out);
        }
    }

    /** The status of https://DOMAIN/ at the host's address, trusting only the ACME server's issuing root. */
    private static String https(TestHost web, String domain, AcmeServer acme) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--resolve", domain + ":443:" + web.address(), "--cacert",
                acme.issuingRoot().toString(), "-o", "/dev/null", "-w", "%{http_code}", "https://" + domain + "/")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out.strip();
    }

    @Test
    void badOptionsAreOneLineAndTouchNothing() {
        CliRun cli = new CliRun(tmp);
        Path ops = Path.of("../examples/ops/ansible").toAbsolutePath().normalize();
        cli.run("--ops-dir", ops.toString(), "provision", "demo", "--limit", "nosuchhost");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("--limit nosuchhost: no such host in demo; hosts: web.catalogue.test"), cli.err);
        cli.run("--ops-dir", ops.toString(), "provision", "demo", "--tags", "deploy");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("unknown tag"), cli.err);
    }
}
