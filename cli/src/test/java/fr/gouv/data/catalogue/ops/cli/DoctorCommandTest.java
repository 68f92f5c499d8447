package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import fr.gouv.data.catalogue.ops.testbed.AcmeServer;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} on the example app deployed on a web test host (PostgreSQL on a second one):
 * healthy first, then each thing broken on purpose, doctor run, the cause and the next command
 * checked, and the host's /etc, workdir and lock folder byte for byte as before doctor; each break
 * is repaired before the next.
 */
@Testbed(hosts = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorCommandTest {
    static final String PACKAGES = DeployCommandTest.PACKAGES;
    static final String DOMAIN = "web.catalogue.test";
    @TempDir
    static Path tmp;
    static Path ops;
    static String env;
    static Path repo;
    static CliRun cli;
    static TestHosts testHosts;
    static TestHost web;
    static String side;

    static String[] args(String... more) {
        return CliRun.concat(new String[] {"--ops-dir", ops.toString()}, more);
    }

    /** A command on the web host as root, through the system's ssh client; its output. */
    static String onHost(String command) throws Exception {
        Process p = new ProcessBuilder(testHosts.sshArgv(web, "root", command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + ":\n" + out);
        return out;
    }

    /** Every file, folder and link under the given folders of the host's root: path, mode, content or target. */
    static String fingerprint() throws Exception {
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        for (String top : List.of("etc", "root/catalogage", "root/catalogage/.deploy-lock")) {
            Path base = web.root().resolve(top);
            if (!Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
                all.update(("absent " + top + "\n").getBytes(StandardCharsets.UTF_8));
                continue;
            }
            List<Path> paths;
            try (Stream<Path> s = Files.walk(base)) {
                paths = new ArrayList<>(s.sorted().toList());
            }
            for (Path p : paths) {
                String rel = web.root().relativize(p).toString();
                String line;
                if (Files.isSymbolicLink(p)) {
                    line = "link " + rel + " -> " + Files.readSymbolicLink(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    line = "dir " + rel + " " + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    line = "file " + rel + " " + Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) + " "
                            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                } else {
                    line = "other " + rel;
                }
                all.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(all.digest());
    }

    /** doctor --json, with the host proven unchanged by it; the exit code expected. */
    static JsonNode doctor(int exit, String... extra) throws Exception {
        String before = fingerprint();
        List<String> argv = new ArrayList<>();
        for (String e : extra) {
            argv.add("-e");
            argv.add(e);
        }
        argv.addAll(List.of("doctor", env, "--json"));
        cli.run(args(argv.toArray(String[]::new)));
        assertEquals(before, fingerprint(), "doctor changed nothing in /etc, the workdir or the lock folder");
        assertEquals(exit, cli.exitCode, cli.toString());
        return new ObjectMapper().readTree(cli.out);
    }

    static JsonNode check(JsonNode doc, String name) {
        for (JsonNode c : doc.get("checks")) {
            if (c.get("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + doc.toPrettyString());
    }

    /** The check has this status, its evidence and advice contain these texts. */
    static void expect(JsonNode doc, String name, String status, String evidence, String advice) {
        JsonNode c = check(doc, name);
        assertEquals(status, c.get("status").asText(), c.toPrettyString());
        assertTrue(c.get("evidence").asText().contains(evidence), "evidence of " + name + ": " + c.toPrettyString());
        assertTrue(c.get("advice").asText().contains(advice), "advice of " + name + ": " + c.toPrettyString());
    }

    static void writeEnvironment(DatabaseHost.Database db) throws Exception {
        TestHost dbHost = testHosts.host(1);
        Path vaultPassword = TestbedEnvironment.ensureVaultPassword(ops);
        Path dir = ops.resolve("environments").resolve(env);
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(ops.resolve("group_vars"));
        Files.writeString(ops.resolve("group_vars/web.yml"), "workdir: \"{{ ansible_env.HOME }}/catalogage\"\n"
                + "git_repo: \"" + repo + "\"\ngit_version: v2\napi_port: 3579\nclient_port: 3000\ndomain_name: " + DOMAIN + "\n"
                + "letsencrypt_email: ops@catalogue.test\n");
        Files.writeString(dir.resolve("hosts"), "[web]\n" + web.name() + " ansible_host=" + web.address() + " ansible_user=root\n\n"
                + "[db]\n" + dbHost.name() + " ansible_host=" + dbHost.address() + " ansible_user=root\n\n[all:vars]\n"
                + "ansible_ssh_private_key_file=" + testHosts.privateKey() + "\n");
        Files.copy(testHosts.knownHosts(), dir.resolve("known_hosts"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "tls_enabled: false\npython_runtime: system\nnode_runtime: system\n"
                + "client_url: \"http://{{ domain_name }}\"\ndatapass_url: \"http://datapass.invalid\"\n"
                + "system_packages: " + PACKAGES + "\nvenv_system_site_packages: true\npip_no_index: true\n");
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, vaultPassword);
        String secrets = "secret_key: 'doctor-test-secret-key-0123456789'\ndatabase_url: '" + db.url() + "'\n"
                + "datapass_client_id: 'dp-id'\ndatapass_client_secret: 'dp-client-secret-value'\n"
                + "config_repo_api_key: 'repo-api-key-value'\n";
        Files.write(dir.resolve("secrets"), new Vault(List.of(secret)).encrypt(secrets.getBytes(StandardCharsets.UTF_8), secret));
    }

    @Test
    @Order(1)
    void aHealthyDeployIsAllOkThroughTheCommandLineAndTheJavaApi(TestHosts hosts) throws Exception {
        testHosts = hosts;
        web = hosts.host(0);
        ops = tmp.resolve("ops/ansible");
        env = hosts.name();
        repo = tmp.resolve("catalogue-app.git");
        Process make = new ProcessBuilder("../examples/make-app-repo", repo.toString()).redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(), made);
        DatabaseHost.Database db = DatabaseHost.provision(hosts, hosts.host(1), List.of(web), "catalogue", "catalogue",
                DatabaseHost.HOSTILE_PASSWORD);
        writeEnvironment(db);
        cli = new CliRun(tmp);
        cli.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        cli.run(args("provision", env));
        assertEquals(0, cli.exitCode, cli.toString());
        cli.run(args("deploy", env));
        assertEquals(0, cli.exitCode, cli.toString());

        JsonNode doc = doctor(0);
        for (JsonNode c : doc.get("checks")) {
            if (!List.of("memory", "disk (workdir)", "disk (/var/log)").contains(c.get("check").asText())) {
                assertEquals("ok", c.get("status").asText(), "healthy: " + c.toPrettyString());
            }
        }
        side = check(doc, "live release").get("evidence").asText().contains(" on green ") ? "green" : "blue";
        expect(doc, "git_version", "ok", "git_version v2 is the same commit", "");
        expect(doc, "migrations", "ok", "database at 0002, the live release's head", "");
        expect(doc, "postgresql", "ok", "server 15.", "");
        expect(doc, "upstreams", "ok", "the " + side + " side the live release runs on", "");
        assertFalse(cli.out.contains("doctor-test-secret-key") || cli.out.contains("dp-client-secret-value"), cli.out);

        cli.run(args("doctor", env));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.startsWith(web.name() + "\n  ok    nginx running"), cli.out);
        assertTrue(cli.out.strip().endsWith(env + ": " + doc.get("checks").size() + " ok, 0 warn, 0 FAIL")
                || cli.out.contains(" 0 FAIL"), cli.out);

        try (CatalogueOps api = CatalogueOps.open(ops)) {
            api.environmentVariables(java.util.Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()));
            DoctorReport r = api.doctor(env).call();
            assertTrue(r.healthy(), r.toString());
            DoctorCheck program = r.check(web.name(), "program server-" + side);
            assertNotNull(program, r.toString());
            assertEquals(DoctorStatus.OK, program.status());
            assertTrue(program.evidence().startsWith("RUNNING pid "), program.toString());
        }
    }

    @Test
    @Order(2)
    void serverStoppedExplainsThe502(TestHosts hosts) throws Exception {
        onHost("supervisorctl stop catalogue-" + side + ":server-" + side);
        try {
            JsonNode doc = doctor(1);
            expect(doc, "program server-" + side, "FAIL", "STOPPED", "supervisorctl start catalogue-" + side + ":server-" + side);
            expect(doc, "health server-" + side, "FAIL", "nothing listens on 127.0.0.1:", "it is down");
            expect(doc, "through nginx", "FAIL", "/api/health answered 502", "supervisorctl start catalogue-" + side + ":*");
            String why = check(doc, "through nginx").get("evidence").asText();
            assertTrue(why.contains("the api upstream 127.0.0.1:" + (side.equals("blue") ? 3579 : 3580) + " (server-" + side
                    + ") is down: nothing listens; end of its log: "), why);
        } finally {
            onHost("supervisorctl start catalogue-" + side + ":server-" + side);
        }
        DeployCommandTest.await("the server answers again", () -> {
            try {
                return onHost("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/api/health").strip().equals("200");
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(30));
    }

    @Test
    @Order(3)
    void aWrongUpstreamPortABrokenConfigurationAndAPendingMigration(TestHosts hosts) throws Exception {
        Path upstreams = web.root().resolve("etc/nginx/catalogue-upstreams.conf");
        String good = Files.readString(upstreams);
        int api = side.equals("blue") ? 3579 : 3580;
        Files.writeString(upstreams, good.replace(":" + api + ";", ":3999;"));
        try {
            JsonNode doc = doctor(1);
            expect(doc, "upstreams", "FAIL", "nginx sends api to 127.0.0.1:3999", "upstream api 127.0.0.1:" + api);
        } finally {
            Files.writeString(upstreams, good);
        }

        Path site = web.root().resolve("etc/nginx/sites-enabled/catalogage.conf");
        String siteText = Files.readString(site);
        Files.writeString(site, siteText.replace("proxy_pass http://client;", "proxy_pass http://client"));
        try {
            JsonNode doc = doctor(1);
            expect(doc, "nginx -t", "FAIL", "/etc/nginx/sites-enabled/catalogage.conf:", "fix the file and line nginx names");
        } finally {
            Files.writeString(site, siteText);
        }

        onHost("cd /root/catalogage/current && venv/bin/python -m alembic downgrade -1");
        try {
            JsonNode doc = doctor(1);
            expect(doc, "migrations", "FAIL", "database at 0001, the live release's head is 0002: migrations pending",
                    "cd /root/catalogage/current && make migrate");
        } finally {
            onHost("cd /root/catalogage/current && venv/bin/python -m alembic upgrade head");
        }
        expect(doctor(0), "migrations", "ok", "database at 0002", "");
    }

    @Test
    @Order(4)
    void aStaleLockDriftAndRuntimesOtherThanTheVariablesSay(TestHosts hosts) throws Exception {
        Path lock = web.root().resolve("root/catalogage/.deploy-lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("lock.json"), "{\"user\":\"alice\",\"from\":\"laptop\",\"pid\":4242,\"since\":"
                + "\"2026-12-01T10:00:00Z\",\"operation\":\"deploy\",\"version\":\"v2\",\"token\":\"t\"}\n");
        Files.writeString(lock.resolve("heartbeat"), "");
        Files.setLastModifiedTime(lock.resolve("heartbeat"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 5 * 60_000));
        try {
            JsonNode doc = doctor(0);
            expect(doc, "deploy lock", "warn", "stale: held by alice from laptop (pid 4242)", "catalogue-ops lock release " + env);
        } finally {
            deleteTree(lock);
        }

        String v1 = git("rev-parse", "v1^{commit}");
        String v2 = git("rev-parse", "v2^{commit}");
        JsonNode doc = doctor(0, "git_version=v1");
        expect(doc, "git_version", "warn", env + " runs " + v2.substring(0, 7) + " (v2), git_version v1 is now " + v1.substring(0, 7),
                "catalogue-ops deploy " + env);

        String node = onHost("node --version").strip();
        doc = doctor(1, "nvm_node_version=12.22.12", "pyenv_python_version=3.7.17");
        expect(doc, "node", "FAIL", node + ", nvm_node_version says 12.22.12", "catalogue-ops provision " + env + " --tags runtimes");
        expect(doc, "python", "FAIL", "pyenv_python_version says 3.7.17", "then deploy");

        Path old = web.root().resolve("root/.pyenv/versions/3.6.15");
        Files.createDirectories(old);
        try {
            doc = doctor(0, "pyenv_python_version=" + onHost("python3 -c 'import platform; print(platform.python_version())'").strip());
            expect(doc, "pyenv versions", "warn", "left behind in ~/.pyenv/versions: 3.6.15", "pyenv uninstall -f 3.6.15");
        } finally {
            deleteTree(web.root().resolve("root/.pyenv"));
        }
    }

    @Test
    @Order(5)
    void aFullDiskUnderTheWorkdirAndUnderVarLog(TestHosts hosts) throws Exception {
        // a 1 MiB filesystem on the app's partition: an overlay on the workdir whose upper layer is a small tmpfs, so the
        // releases stay where they are and df of the workdir is the tmpfs's; then filled up
        onHost("mkdir -p /mnt/doctor-small && mount -t tmpfs -o size=1m doctor-small /mnt/doctor-small"
                + " && mkdir /mnt/doctor-small/upper /mnt/doctor-small/work && mount -t overlay doctor-full -o lowerdir=/root/catalogage,"
                + "upperdir=/mnt/doctor-small/upper,workdir=/mnt/doctor-small/work /root/catalogage"
                + " && (dd if=/dev/zero of=/root/catalogage/fill bs=4k 2>/dev/null; true)");
        try {
            JsonNode doc = doctor(1);
            expect(doc, "disk (workdir)", "FAIL", "0 % free on /root/catalogage", "du -xsh /root/catalogage/*");
            expect(doc, "live release", "ok", "ref v2", "");
        } finally {
            onHost("umount /root/catalogage && umount /mnt/doctor-small && rmdir /mnt/doctor-small");
        }
        // and /var/log, the other partition doctor watches
        onHost("mount -t tmpfs -o size=1m doctor-test /var/log && (dd if=/dev/zero of=/var/log/fill bs=4k 2>/dev/null; true)");
        try {
            JsonNode doc = doctor(1);
            expect(doc, "disk (/var/log)", "FAIL", "0 % free on /var/log", "du -xsh /var/log/*");
        } finally {
            onHost("umount /var/log");
        }
        // repaired: the workdir is on the host's own root again (ok or warn, as this machine's disk is)
        JsonNode again = check(doctor(0), "disk (workdir)");
        assertTrue(again.get("evidence").asText().contains("free on / ("), again.toPrettyString());
    }

    @Test
    @Order(6)
    void tlsCertificatesTheirRenewalAndTheChallengeSite(TestHosts hosts) throws Exception {
        try (AcmeServer acme = AcmeServer.start(hosts, web, Duration.ofDays(10))) {
            Files.copy(acme.caBundle(), web.root().resolve("etc/ssl/test-acme-server.pem"));
            String[] tls = {"tls_enabled=true", "acme_server=" + acme.directoryUrl(), "acme_ca_bundle=/etc/ssl/test-acme-server.pem"};
            List<String> provision = new ArrayList<>();
            for (String t : tls) {
                provision.add("-e");
                provision.add(t);
            }
            provision.addAll(List.of("provision", env));
            cli.run(args(provision.toArray(String[]::new)));
            assertEquals(0, cli.exitCode, cli.toString());

            JsonNode doc = doctor(0, tls);
            expect(doc, "certificate " + DOMAIN, "warn", "domains " + DOMAIN + ", expires ", "certbot renew --dry-run");
            assertTrue(check(doc, "certificate " + DOMAIN).get("evidence").asText().matches(".*\\((9|10) days left\\)"), doc.toString());
            expect(doc, "certs_renewal cron", "ok", "#Ansible: certs_renewal / @weekly certbot renew -q", "");
            expect(doc, "acme challenge site", "ok", "answered 404 from the webroot", "");
            expect(doc, "through nginx", "ok", "/ answered 200", "");

            String crontab = onHost("crontab -l");
            onHost("crontab -l | grep -v -e '^#Ansible: certs_renewal' -e '^@weekly certbot renew -q' | crontab -");
            try {
                doc = doctor(1, tls);
                expect(doc, "certs_renewal cron", "FAIL", "no #Ansible: certs_renewal entry", "catalogue-ops provision " + env
                        + " --tags tls");
            } finally {
                Files.writeString(web.root().resolve("var/spool/cron/crontabs/root"), crontab);
            }

            // an expired certificate: no ACME server issues one, so it is made here (openssl's -days -1 ends yesterday)
            Path expired = web.root().resolve("etc/letsencrypt/live/expired.catalogue.test");
            Files.createDirectories(expired);
            openssl(tmp, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                    tmp.resolve("expired.key").toString(), "-out", tmp.resolve("expired.csr").toString(), "-subj",
                    "/CN=expired.catalogue.test");
            Files.writeString(tmp.resolve("san.ext"), "subjectAltName=DNS:expired.catalogue.test\n");
            openssl(tmp, "x509", "-req", "-in", tmp.resolve("expired.csr").toString(), "-key", tmp.resolve("expired.key").toString(),
                    "-days", "-1", "-extfile", tmp.resolve("san.ext").toString(), "-out", expired.resolve("cert.pem").toString());
            try {
                doc = doctor(1, tls);
                expect(doc, "certificate expired.catalogue.test", "FAIL", "(expired)", "catalogue-ops certs renew " + env);
                expect(doc, "certificate " + DOMAIN, "warn", "days left", "");
                doc = doctor(1, CliRun.concat(tls, "domain_name=other.catalogue.test"));
                expect(doc, "certificate for other.catalogue.test", "FAIL", "no valid certificate names other.catalogue.test",
                        "catalogue-ops provision " + env + " --tags tls");
            } finally {
                deleteTree(expired);
            }
        }
    }

    @Test
    @Order(7)
    void aHostThatCannotBeReachedIsOneFailedCheck(TestHosts hosts) throws Exception {
        hosts.partition(web);
        try {
            JsonNode doc = doctor(1);
            assertEquals(1, doc.get("checks").size(), doc.toPrettyString());
            expect(doc, "reachable", "FAIL", "", "catalogue-ops ping " + env);
        } finally {
            hosts.heal(web);
        }
    }

    static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void openssl(Path dir, String... argv) throws Exception {
        List<String> all = new ArrayList<>(List.of("openssl"));
        all.addAll(List.of(argv));
        Process p = new ProcessBuilder(all).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    static String git(String... argv) throws Exception {
        List<String> all = new ArrayList<>(List.of("git", "--git-dir", repo.toString()));
        all.addAll(List.of(argv));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
