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
import fr.gouv.data.catalogue.ops.testbed.LoadGenerator;
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
    static DatabaseHost.Database pullDatabase;

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

    static final String SLOW_START_OWN_PACKAGES = "slow-start-own-packages";

    /** A branch of the app's repository: {@code base} with a reformatted package-lock.json (the same packages); its commit. */
    static String branchWithOwnLockfile(String base, String branch) throws Exception {
        Path work = tmp.resolve("work-" + branch);
        List<List<String>> steps = List.of(List.of("git", "clone", "-q", repo.toString(), work.toString()),
                List.of("git", "-C", work.toString(), "checkout", "-q", "-b", branch, base));
        for (List<String> step : steps) {
            Process p = new ProcessBuilder(step).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
        }
        Path lock = work.resolve("client/package-lock.json");
        Files.writeString(lock, Files.readString(lock).replace("\n", "\n  ").strip() + "\n");
        for (List<String> step : List.of(List.of("git", "-C", work.toString(), "-c", "user.name=Catalogue Example", "-c",
                "user.email=example@catalogue.test", "-c", "commit.gpgsign=false", "commit", "-q", "-am", "package-lock.json reformatted"),
                List.of("git", "-C", work.toString(), "push", "-q", "origin", branch))) {
            Process p = new ProcessBuilder(step).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
        }
        return git("rev-parse", branch + "^{commit}");
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
        writeSecrets(db);
    }

    static void writeSecrets(DatabaseHost.Database db) throws Exception {
        Path vaultPassword = TestbedEnvironment.ensureVaultPassword(ops);
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, vaultPassword);
        String secrets = "secret_key: 'deploy-test-secret-key-0123456789'\ndatabase_url: '" + db.url() + "'\n"
                + "datapass_client_id: 'dp-id'\ndatapass_client_secret: 'dp-client-secret-value'\n"
                + "config_repo_api_key: 'repo-api-key-value'\n";
        Files.write(ops.resolve("environments").resolve(env).resolve("secrets"),
                new Vault(List.of(secret)).encrypt(secrets.getBytes(StandardCharsets.UTF_8), secret));
    }

    /**
     * The testbed's load generator through nginx, two runs at once for the whole operation: one
     * opening a new connection per request, one over keep-alive connections, {@link #RATE}
     * requests per second each, {@code 2 * RATE} together. A request fails on a status other than
     * 2xx/3xx, a connection error or no answer within 10 s (how slow an answer is on a busy machine
     * is not what this measures; the benchmarks do). Twice 100 per second saturates the example app
     * on a machine shared with other builds: its client answers 502 when its API call takes more
     * than 5 s, whatever the deploy does. The keep-alive run has 16 connections: on a busy machine
     * they cannot always carry its rate (requests then skipped, neither OK nor failed, reported), and
     * more of them would make more idle connections that the old nginx workers close on a reload,
     * which a client without retries counts as failed.
     */
    static final int RATE = 50;

    static final class Load implements AutoCloseable {
        /**
         * The least time the load runs, whatever the command's: a rollback can end within a second,
         * and the check that nginx answered (at least a second's worth of requests) needs the load
         * to have run for more than that.
         */
        static final Duration LEAST = Duration.ofSeconds(2);

        final List<LoadGenerator> runs;
        final long started = System.nanoTime();

        Load(TestHost web) throws Exception {
            URI url = URI.create("http://" + web.address() + "/");
            List<LoadGenerator> started = new java.util.ArrayList<>();
            for (LoadGenerator.Mode mode : LoadGenerator.Mode.values()) {
                LoadGenerator.Settings settings = LoadGenerator.Settings.of(url, RATE, Duration.ofMinutes(10), mode)
                        .withTimeout(Duration.ofSeconds(10));
                started.add(LoadGenerator.start(mode == LoadGenerator.Mode.KEEP_ALIVE ? settings.withWorkers(16) : settings));
            }
            runs = List.copyOf(started);
        }

        /** Stops both runs and checks that neither saw a failed request; returns their reports, one JSON line each. */
        String assertNoneFailed(String during, String output) throws InterruptedException {
            long left = started + LEAST.toNanos() - System.nanoTime();
            if (left > 0) {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
            }
            close();
            StringBuilder reports = new StringBuilder();
            for (LoadGenerator g : runs) {
                LoadGenerator.Report r = g.report();
                reports.append(r.toJson()).append('\n');
                System.out.println("load through nginx during " + during + ": " + r.toJson());
                assertEquals(0, r.failed(), "failed requests (" + r.mode() + ") during " + during + ": " + r.toJson() + "\n" + output);
                assertTrue(r.ok() >= RATE, r.mode() + " answered during " + during + ": " + r.toJson());
            }
            return reports.toString();
        }

        @Override
        public void close() {
            runs.forEach(LoadGenerator::close);
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
                    // a sweep every 10 ms sees the deploy's commands without taking a core from the load it runs under
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
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
        // a second database for the deploys in pull mode, which start again from v1
        List<DatabaseHost.Database> dbs = DatabaseHost.provision(hosts, hosts.host(1), List.of(web), List.of("catalogue",
                "catalogue_pull"), "catalogue", DatabaseHost.HOSTILE_PASSWORD);
        DatabaseHost.Database db = dbs.get(0);
        pullDatabase = dbs.get(1);
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
            cli.run(args("-e", "git_version=v2", "deploy", env));
            ps.close();
            load.assertNoneFailed("v1 -> v2", cli.out);
            assertEquals(0, cli.exitCode, cli.toString());
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
        assertTrue(cli.out.contains("ok       " + web.name() + " | standby") && !cli.out.contains("| stop old side"),
                "v1 stays up on the idle side: " + cli.out);

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
        // v5 with a package-lock.json of its own and another interpreter path: its own virtualenv and node
        // modules, which only this release uses (pruned once it goes, see the last test)
        String v5 = branchWithOwnLockfile("v5-slow-start", SLOW_START_OWN_PACKAGES);
        cli.run(args("-e", "deploy_python=/usr/bin/python3", "deploy", env, "--git-version", SLOW_START_OWN_PACKAGES));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("changed  " + web.name() + " | venv") && cli.out.contains("changed  " + web.name()
                + " | node modules"), "built, not reused: " + cli.out);
        assertTrue(page(web).contains("api " + v5), "v5 serves");

        try (CatalogueOps api = CatalogueOps.open(ops)) {
            List<ReleaseInfo> releases = api.releases(env);
            ReleaseInfo live = releases.stream().filter(ReleaseInfo::live).findFirst().orElseThrow();
            assertEquals(v5, live.commit());
            assertTrue(releases.stream().anyMatch(r -> r.state().equals("failed")), "the newest failed one is kept: " + releases);
        }
        try (Load load = new Load(web)) {
            cli.run(args("rollback", env));
            load.assertNoneFailed("the rollback", cli.out);
            assertEquals(0, cli.exitCode, cli.toString());
        }
        String v2 = git("rev-parse", "v2^{commit}");
        assertTrue(page(web).contains("api " + v2 + " · migration 0002"), "back to v2");
        assertFalse(cli.out.contains("| build"), "no rebuild: " + cli.out);
        // v2 stayed up as the standby when v5 went live: the rollback switches to it, nothing starts
        assertTrue(cli.out.contains("ok       " + web.name() + " | standby") && !cli.out.contains("| start"), cli.out);
        assertTrue(cli.out.contains("changed  " + web.name() + " | stop old side"), "the release rolled back from stops: " + cli.out);
        DeployFaultTest.awaitIdleSideStopped(web, "the release rolled back from stops on the host");

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

        // a standby that no longer answers (its programs stopped by hand) is started again by the rollback
        Process stop = new ProcessBuilder(hosts.sshArgv(web, "root", "supervisorctl stop 'catalogue-blue:*' 'catalogue-green:*'"
                + " >/dev/null; cat /etc/nginx/catalogue-upstreams.conf")).redirectErrorStream(true).start();
        String upstreams = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, stop.waitFor(), upstreams);
        // the live side's programs are started again by hand: only the standby stays down
        String live = upstreams.contains(":3579;") ? "blue" : "green";
        Process start = new ProcessBuilder(hosts.sshArgv(web, "root", "supervisorctl start 'catalogue-" + live + ":*'"))
                .redirectErrorStream(true).start();
        String started = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, start.waitFor(), started);
        await("the live side answers again", () -> {
            try {
                return page(web).contains("api " + git("rev-parse", "v5-slow-start^{commit}"));
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        }, Duration.ofSeconds(60));
        cli.run(args("rollback", env));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("changed  " + web.name() + " | standby") && cli.out.contains("does not answer")
                && cli.out.contains("changed  " + web.name() + " | start") && cli.out.contains("ok       " + web.name() + " | health"),
                cli.out);
        assertTrue(page(web).contains("api " + git("rev-parse", "v2^{commit}")), "back to v2");
    }

    /** Where a release's shared folder link points: the key of its virtualenv or node modules, or null. */
    static String linkedKey(Path release, String link) {
        try {
            Path target = Files.readSymbolicLink(release.resolve(link));
            return (link.equals("venv") ? target : target.getParent()).getFileName().toString();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static java.util.Set<String> names(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    @Test
    @Order(7)
    void inPullModeTheHostFetchesTheCodeAndUnusedSharedFoldersArePruned(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        Path workdir = web.root().resolve("root/catalogage");
        // the repository is on the host only: this machine cannot fetch /srv/catalogue-app.git
        Path onHost = web.root().resolve("srv/catalogue-app.git");
        Files.createDirectories(onHost.getParent());
        Process copy = new ProcessBuilder("git", "clone", "-q", "--bare", "--no-hardlinks", repo.toString(), onHost.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, copy.waitFor(), new String(copy.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(Path.of("/srv/catalogue-app.git")), "the path exists on the host only");
        Path groupVars = ops.resolve("environments").resolve(env).resolve("group_vars/web.yml");
        Files.writeString(groupVars, Files.readString(groupVars) + "deploy_code: pull\ngit_repo: /srv/catalogue-app.git\n");
        writeSecrets(pullDatabase);
        cli.run(args("env", "check", env));
        assertEquals(0, cli.exitCode, cli.toString());

        // resolved on the host before anything changes: an unknown ref or an unreachable repository is one line
        String pageBefore = page(web);
        java.util.Set<String> releasesBefore = names(workdir.resolve("releases"));
        Path current = Files.readSymbolicLink(workdir.resolve("current"));
        cli.run(args("deploy", env, "--git-version", "nosuchref"));
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals("catalogue-ops: git_version nosuchref is not a branch, tag or commit of /srv/catalogue-app.git (resolved on "
                + web.name() + ", deploy_code: pull); nothing was changed", cli.oneLineError());
        cli.run(args("-e", "git_repo=/srv/nowhere.git", "deploy", env, "--git-version", "v1"));
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().startsWith("catalogue-ops: git_repo /srv/nowhere.git cannot be fetched on " + web.name() + ": ")
                && cli.err.strip().endsWith("; nothing was changed"), cli.err);
        assertEquals(releasesBefore, names(workdir.resolve("releases")));
        assertEquals(current, Files.readSymbolicLink(workdir.resolve("current")));
        assertFalse(Files.exists(workdir.resolve(".deploy-lock")));
        assertEquals(pageBefore, page(web));

        // the one release that uses its own venv and node modules is there, and so are they
        Path own = null;
        for (String id : releasesBefore) {
            if (git("rev-parse", SLOW_START_OWN_PACKAGES).equals(Files.readString(workdir.resolve("releases/" + id + "/REVISION"))
                    .strip())) {
                own = workdir.resolve("releases/" + id);
            }
        }
        assertTrue(own != null, "the release of " + SLOW_START_OWN_PACKAGES + " among " + releasesBefore);
        String ownVenv = linkedKey(own, "venv");
        String ownNode = linkedKey(own, "client/node_modules");
        Path live = workdir.resolve("current").toRealPath();
        String liveVenv = linkedKey(live, "venv");
        String liveNode = linkedKey(live, "client/node_modules");
        assertTrue(names(workdir.resolve("shared/venvs")).containsAll(List.of(ownVenv, liveVenv)) && !ownVenv.equals(liveVenv));
        assertTrue(names(workdir.resolve("shared/node")).containsAll(List.of(ownNode, liveNode)) && !ownNode.equals(liveNode));

        // v1 on a new database, keeping a single release: the others go, and so do the shared folders only they used
        cli.run(args("-e", "keep_releases=1", "deploy", env, "--git-version", "v1"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("fetched by the host into"), cli.out);
        String v1 = git("rev-parse", "v1^{commit}");
        assertTrue(page(web).contains("api " + v1 + " · migration 0001"), page(web));
        Path release = workdir.resolve("current").toRealPath();
        assertEquals(v1, Files.readString(release.resolve("REVISION")).strip());
        assertFalse(Files.exists(release.resolve(".git")), "no .git in a release");
        assertTrue(Files.isDirectory(workdir.resolve("shared/git")), "the host's repository cache");
        assertFalse(Files.exists(own), "pruned: " + cli.out);
        assertFalse(names(workdir.resolve("shared/venvs")).contains(ownVenv), "its venv pruned: " + cli.out);
        assertFalse(names(workdir.resolve("shared/node")).contains(ownNode), "its node modules pruned: " + cli.out);
        assertTrue(cli.out.contains("shared/venvs/" + ownVenv) && cli.out.contains("shared/node/" + ownNode), cli.out);
        // every release left (the live one, the last healthy one before it, the newest failed one) still has its folders
        java.util.Set<String> left = names(workdir.resolve("releases"));
        assertTrue(left.size() >= 2, "the live one and the previous one: " + left);
        for (String id : left) {
            Path r = workdir.resolve("releases/" + id);
            // the links are absolute paths on the host: read them under the host's root
            String venv = linkedKey(r, "venv");
            String node = linkedKey(r, "client/node_modules");
            assertTrue(venv == null || Files.isDirectory(workdir.resolve("shared/venvs/" + venv)), id + "'s venv was pruned");
            assertTrue(node == null || Files.isDirectory(workdir.resolve("shared/node/" + node + "/node_modules")),
                    id + "'s node modules were pruned");
        }
        assertTrue(names(workdir.resolve("shared/venvs")).contains(liveVenv));

        cli.run(args("deploy", env, "--git-version", "v2"));
        assertEquals(0, cli.exitCode, cli.toString());
        String v2 = git("rev-parse", "v2^{commit}");
        String page = page(web);
        assertTrue(page.contains("<h1>Catalogue des données</h1>") && page.contains("api " + v2 + " · migration 0002"), page);
        assertEquals(v2, Files.readString(workdir.resolve("current/REVISION")).strip());
    }
}
