package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import fr.gouv.data.catalogue.ops.report.HostDeploy;
import fr.gouv.data.catalogue.ops.report.ReleaseInfo;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy} of the example app on a web test host with PostgreSQL on a database test host,
 * through the command line and the Java API: v1, v2 (a migration) under load, a no-op redeploy,
 * provision afterwards changing nothing, the broken versions refused with the live one serving,
 * a slow start waited for, a rollback, the releases, the audit log and the lock.
 */
@Testbed(hosts = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployCommandTest {
    static final String PACKAGES = "[python3-starlette, python3-uvicorn, python3-sqlalchemy, python3-alembic, python3-psycopg2,"
            + " python3-yaml, python3-venv, python3-pip, nodejs, npm]";
    @TempDir
    static Path tmp;
    static Path ops;
    static String env;
    static Path repo;
    static CliRun cli;

    static String[] args(String... more) {
        return CliRun.concat(new String[] {"--ops-dir", ops.toString()}, more);
    }

    static String git(String... argv) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("git", "--git-dir", repo.toString()));
        all.addAll(List.of(argv));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The page through nginx, from this machine. */
    static String page(TestHost web) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    static void writeEnvironment(TestHosts hosts, DatabaseHost.Database db) throws Exception {
        TestHost web = hosts.host(0);
        TestHost dbHost = hosts.host(1);
        Path vaultPassword = TestbedEnvironment.ensureVaultPassword(ops);
        Path dir = ops.resolve("environments").resolve(env);
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(ops.resolve("group_vars"));
        Files.writeString(ops.resolve("group_vars/web.yml"), "workdir: \"{{ ansible_env.HOME }}/catalogage\"\n"
                + "git_repo: \"" + repo + "\"\napi_port: 3579\nclient_port: 3000\ndomain_name: \"{{ inventory_hostname }}\"\n");
        Files.writeString(dir.resolve("hosts"), "[web]\n" + web.name() + " ansible_host=" + web.address() + " ansible_user=root\n\n"
                + "[db]\n" + dbHost.name() + " ansible_host=" + dbHost.address() + " ansible_user=root\n\n[all:vars]\n"
                + "ansible_ssh_private_key_file=" + hosts.privateKey() + "\n");
        Files.copy(hosts.knownHosts(), dir.resolve("known_hosts"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "tls_enabled: false\npython_runtime: system\nnode_runtime: system\n"
                + "client_url: \"http://{{ domain_name }}\"\ndatapass_url: \"http://datapass.invalid\"\n"
                + "system_packages: " + PACKAGES + "\nvenv_system_site_packages: true\npip_no_index: true\n");
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, vaultPassword);
        String secrets = "secret_key: 'deploy-test-secret-key-0123456789'\ndatabase_url: '" + db.url() + "'\n"
                + "datapass_client_id: 'dp-id'\ndatapass_client_secret: 'dp-client-secret-value'\n"
                + "config_repo_api_key: 'repo-api-key-value'\n";
        Files.write(dir.resolve("secrets"), new Vault(List.of(secret)).encrypt(secrets.getBytes(StandardCharsets.UTF_8), secret));
    }

    /**
     * Requests through nginx, one after the other, from two clients: one opening a new connection
     * per request, one keeping its connection alive; every answer that is not a 200 counts as failed.
     */
    static final class Load implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final java.util.List<String> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads;
        private final long start = System.nanoTime();

        Load(TestHost web) {
            HttpClient keepAlive = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            threads = List.of(new Thread(() -> loop(web, null), "deploy-test-load-new"),
                    new Thread(() -> loop(web, keepAlive), "deploy-test-load-keepalive"));
            threads.forEach(Thread::start);
        }

        private void loop(TestHost web, HttpClient shared) {
            while (!stop.get()) {
                try {
                    HttpClient c = shared != null ? shared : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        failures.add(String.valueOf(r.statusCode()));
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    failures.add(e.toString());
                }
            }
        }

        void awaitFirstAnswers() throws InterruptedException {
            await("the load's first answers", () -> ok.get() >= 20, Duration.ofSeconds(30));
        }

        String summary() {
            return ok.get() + " answered 200, " + failed.get() + " failed, over " + (System.nanoTime() - start) / 1_000_000 + " ms";
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    /** Every command line on this machine, test hosts included (their PID namespaces are below ours), read until closed. */
    static final class CommandLines implements AutoCloseable {
        final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        CommandLines() {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try (var procs = Files.list(Path.of("/proc"))) {
                        procs.filter(d -> d.getFileName().toString().matches("[0-9]+")).forEach(d -> {
                            try {
                                seen.add(new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
                            } catch (java.io.IOException gone) {
                                // the process ended meanwhile
                            }
                        });
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "deploy-test-ps");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }
    }

    @Test
    @Order(1)
    void deploysV1ThenV2UnderLoadThenARedeployChangesNothing(TestHosts hosts) throws Exception {
        ops = tmp.resolve("ops/ansible");
        env = hosts.name();
        repo = tmp.resolve("catalogue-app.git");
        Process make = new ProcessBuilder("../examples/make-app-repo", repo.toString()).redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(), made);
        TestHost web = hosts.host(0);
        DatabaseHost.Database db = DatabaseHost.provision(hosts, hosts.host(1), List.of(web), "catalogue", "catalogue",
                DatabaseHost.HOSTILE_PASSWORD);
        writeEnvironment(hosts, db);
        cli = new CliRun(tmp);
        cli.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());

        cli.run(args("provision", env));
        assertEquals(0, cli.exitCode, cli.toString());

        cli.run(args("deploy", env, "--git-version", "nosuchref"));
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals("catalogue-ops: git_version nosuchref is not a branch, tag or commit of " + repo + "; nothing was changed",
                cli.oneLineError());

        cli.run(args("deploy", env, "--git-version", "v1", "--check"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("would deploy") && cli.out.contains("on green"), cli.out);
        assertFalse(Files.exists(web.root().resolve("root/catalogage/.deploy-lock")), "check mode takes no lock");

        cli.run(args("deploy", env, "--git-version", "v1"));
        assertEquals(0, cli.exitCode, cli.toString());
        String v1 = git("rev-parse", "v1^{commit}");
        String page = page(web);
        assertTrue(page.contains("<h1>Catalogue</h1>") && page.contains("api " + v1 + " · migration 0001"), page);
        Path release = web.root().resolve("root/catalogage/current").toRealPath();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(release.resolve(".env"))));
        assertEquals(v1, Files.readString(release.resolve("REVISION")).strip());
        assertFalse(cli.out.contains("deploy-test-secret-key") || cli.out.contains("dp-client-secret-value"), cli.out);

        // v2 carries a migration: run once, before the switch, while v1 serves; not one request fails
        try (Load load = new Load(web); CommandLines ps = new CommandLines()) {
            load.awaitFirstAnswers();
            cli.run(args("-e", "git_version=v2", "deploy", env));
            load.close();
            ps.close();
            assertEquals(0, cli.exitCode, cli.toString());
            System.out.println("load through nginx during v1 -> v2: " + load.summary());
            assertEquals(0, load.failed.get(), "failed requests during the deploy: " + load.failures + "\n" + cli.out);
            assertTrue(load.ok.get() > 50, "requests during the deploy: " + load.ok.get());
            assertTrue(ps.seen.size() > 50, "command lines seen: " + ps.seen.size());
            for (String secret : List.of("deploy-test-secret-key", "dp-client-secret-value", "repo-api-key-value", "p%40ss")) {
                assertFalse(ps.seen.stream().anyMatch(c -> c.contains(secret)), "a command line shows " + secret);
            }
        }
        String v2 = git("rev-parse", "v2^{commit}");
        page = page(web);
        assertTrue(page.contains("<h1>Catalogue des données</h1>") && page.contains("api " + v2 + " · migration 0002"), page);
        assertTrue(cli.out.contains("changed  " + web.name() + " | migrate"), cli.out);
        assertTrue(cli.out.contains("reused   " + web.name() + " | venv"), "same requirements: " + cli.out);

        // how fast a no-op is belongs to the benchmarks; here: it changes nothing and says so
        cli.run(args("deploy", env, "--git-version", "v2", "--json"));
        assertEquals(0, cli.exitCode, cli.toString());
        JsonNode doc = new ObjectMapper().readTree(cli.out);
        assertEquals("unchanged", doc.get("hosts").get(web.name()).get("result").asText(), cli.out);
        assertTrue(doc.get("message").asText().startsWith("already live: v2"), cli.out);

        // an abbreviated commit id resolves to the same commit: the live one, so nothing to do
        cli.run(args("deploy", env, "--git-version", v2.substring(0, 10), "--json"));
        assertEquals(0, cli.exitCode, cli.toString());
        doc = new ObjectMapper().readTree(cli.out);
        assertEquals(v2, doc.get("commit").asText(), cli.out);
        assertEquals("unchanged", doc.get("hosts").get(web.name()).get("result").asText(), cli.out);

        // provision after a deploy leaves the live side alone; apt's lists and nginx's latest version may have moved on meanwhile
        cli.run(args("provision", env, "--json"));
        assertEquals(0, cli.exitCode, cli.toString());
        for (JsonNode r : new ObjectMapper().readTree(cli.out).get("results")) {
            String task = r.get("task").asText();
            if (!task.equals("apt cache") && !task.equals("nginx (latest)") && !r.get("handler").asBoolean()) {
                assertTrue(List.of("ok", "skipped").contains(r.get("status").asText()), "provision after a deploy: " + r);
            }
        }
        cli.run(args("provision", env, "--json"));
        assertEquals(0, new ObjectMapper().readTree(cli.out).get("changed").asInt(), "then nothing to change: " + cli.out);
        assertTrue(page(web).contains("api " + v2), "still v2 after provision");
    }

    @Test
    @Order(2)
    void brokenVersionsAreRefusedBeforeTheSwitchAndTheLiveOneServes(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        String v2 = git("rev-parse", "v2^{commit}");
        cli.run(args("deploy", env, "--git-version", "v3-broken-migration"));
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("failed   " + web.name() + " | migrate"), cli.out);
        assertTrue(page(web).contains("api " + v2 + " · migration 0002"), "v2 still serves");

        try (CatalogueOps api = CatalogueOps.open(ops)) {
            DeployReport r = api.deploy(env).gitVersion("v4-unhealthy").call();
            assertFalse(r.succeeded(), r.toString());
            HostDeploy h = r.hosts().get(0);
            assertEquals("failed", h.result(), h.toString());
            assertTrue(h.steps().stream().anyMatch(s -> s.step().equals("health") && s.failed() && s.message().contains("500")),
                    h.steps().toString());
        }
        assertTrue(page(web).contains("api " + v2 + " · migration 0002"), "v2 still serves");
        String state = Files.readString(web.root().resolve("etc/nginx/catalogue-upstreams.conf"));
        assertTrue(state.contains(":3579;") || state.contains(":3580;"), state);
    }

    @Test
    @Order(3)
    void aSlowStartIsWaitedForThenARollbackReturnsWithoutARebuild(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        cli.run(args("deploy", env, "--git-version", "v5-slow-start"));
        assertEquals(0, cli.exitCode, cli.toString());
        String v5 = git("rev-parse", "v5-slow-start^{commit}");
        assertTrue(page(web).contains("api " + v5), "v5 serves");

        try (CatalogueOps api = CatalogueOps.open(ops)) {
            List<ReleaseInfo> releases = api.releases(env);
            ReleaseInfo live = releases.stream().filter(ReleaseInfo::live).findFirst().orElseThrow();
            assertEquals(v5, live.commit());
            assertTrue(releases.stream().anyMatch(r -> r.state().equals("failed")), "the newest failed one is kept: " + releases);
        }
        try (Load load = new Load(web)) {
            load.awaitFirstAnswers();
            cli.run(args("rollback", env));
            load.close();
            assertEquals(0, cli.exitCode, cli.toString());
            System.out.println("load through nginx during the rollback: " + load.summary());
            assertEquals(0, load.failed.get(), "failed requests during the rollback: " + load.failures + "\n" + cli.out);
        }
        String v2 = git("rev-parse", "v2^{commit}");
        assertTrue(page(web).contains("api " + v2 + " · migration 0002"), "back to v2");
        assertFalse(cli.out.contains("| build"), "no rebuild: " + cli.out);

        cli.run(args("releases", env));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("rolled_back") && cli.out.contains("failed"), cli.out);
        cli.run(args("history", env));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("rollback") && cli.out.contains("deployed") && cli.out.contains("failed"), cli.out);
        assertFalse(cli.out.contains("deploy-test-secret-key"), cli.out);
    }

    @Test
    @Order(4)
    void aHeldLockRefusesAStaleOneIsTakenOver(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        Path lock = web.root().resolve("root/catalogage/.deploy-lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("lock.json"), "{\"user\":\"alice\",\"from\":\"laptop\",\"pid\":4242,\"since\":\"2026-12-01T10:00:00Z\","
                + "\"operation\":\"deploy\",\"version\":\"v2\",\"token\":\"t\"}\n");
        Files.writeString(lock.resolve("heartbeat"), "");
        cli.run(args("lock", "status", env));
        assertTrue(cli.out.contains("held by alice from laptop (pid 4242)"), cli.toString());
        cli.run(args("deploy", env, "--git-version", "v2"));
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("the deploy lock of " + env + " is held by alice from laptop (pid 4242)"), cli.err);

        Files.setLastModifiedTime(lock.resolve("heartbeat"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 5 * 60_000));
        cli.run(args("deploy", env, "--git-version", "v2"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("taking over a stale lock") && cli.out.contains("alice from laptop"), cli.out);
        assertFalse(Files.exists(lock), "released at the end");
        cli.run(args("history", env));
        assertTrue(cli.out.contains("lock taken over"), cli.out);
    }

    /** The command line in its own JVM, as a user runs it, so that it can be signalled. */
    static Process cliProcess(String... more) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "fr.gouv.data.catalogue.ops.cli.Main"));
        argv.addAll(List.of(args(more)));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(tmp.resolve("cli-process.log").toFile());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        return pb.start();
    }

    static int count(Path dir) {
        try (var s = Files.list(dir)) {
            return (int) s.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static void await(String what, java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    @Order(5)
    void sigtermReleasesTheLockAndAfterASigkillTheNextDeployTakesItOver(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        Path lock = web.root().resolve("root/catalogage/.deploy-lock");
        Path releases = web.root().resolve("root/catalogage/releases");
        int before = count(releases);
        Process p = cliProcess("deploy", env, "--git-version", "v5-slow-start");
        // past the lock: the new release's folder is there
        await("the deploy unpacks its release", () -> count(releases) > before, Duration.ofSeconds(60));
        p.destroy();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the process ends on SIGTERM");
        assertFalse(Files.exists(lock), "SIGTERM released the lock:\n" + Files.readString(tmp.resolve("cli-process.log")));

        int again = count(releases);
        Process killed = cliProcess("deploy", env, "--git-version", "v5-slow-start");
        await("the deploy unpacks its release", () -> count(releases) > again, Duration.ofSeconds(60));
        killed.destroyForcibly();
        assertTrue(killed.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(Files.exists(lock), "SIGKILL leaves the lock behind");
        String v2 = git("rev-parse", "v2^{commit}");
        assertTrue(page(web).contains("api " + v2), "the live release kept serving");
        // a minute without heartbeat, without waiting a minute
        Files.setLastModifiedTime(lock.resolve("heartbeat"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 2 * 60_000));
        cli.run(args("deploy", env, "--git-version", "v5-slow-start"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("taking over a stale lock"), cli.out);
        assertTrue(page(web).contains("api " + git("rev-parse", "v5-slow-start^{commit}")), "v5 serves");
        assertFalse(Files.exists(lock));
    }

    @Test
    @Order(6)
    void aSecondDeployIsRefusedWhileOneRunsAndWithWaitRunsAfter(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        Path releases = web.root().resolve("root/catalogage/releases");
        int before = count(releases);
        Process first = cliProcess("deploy", env, "--git-version", "v2");
        await("the first deploy unpacks its release", () -> count(releases) > before, Duration.ofSeconds(60));
        cli.run(args("deploy", env, "--git-version", "v5-slow-start"));
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("is held by " + System.getProperty("user.name") + " from ")
                && cli.err.contains("(pid " + first.pid() + ")") && cli.err.contains("deploy v2"), cli.err);
        cli.run(args("deploy", env, "--git-version", "v5-slow-start", "--wait=180"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(first.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("cli-process.log")));
        assertTrue(page(web).contains("api " + git("rev-parse", "v5-slow-start^{commit}")), "the queued deploy ran last");
    }
}
