package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import hudson.AbortException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy-side steps under the test context, their work run as on an agent (serialized, on a
 * thread of its own), against a web test host and a database test host: the example app
 * provisioned then deployed, a failing build, an abort before the switch and one during the
 * switch, the releases, a rollback. Only the credentials can work (no vault-password file; the
 * inventory's key file does not exist), and planted secrets are searched for in every build log.
 */
@Testbed(hosts = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployStepsOnTestHostsTest {
    static final String VAULT_PASSWORD = "vault-pw-deploy-step-51f0";
    static final String SECRET_KEY = "plantedDeploySecretKey-8a1c";
    static final String DATAPASS_SECRET = "plantedDatapassSecret-77e2";
    static final String API_KEY = "plantedRepoApiKey-4b9d";
    /** The app's build (v2 plus this) waits on the host until the test lets it go. */
    static final String BUILD_HELD = "tmp/catalogue-test-build-held";
    static final String BUILD_RELEASE = "tmp/catalogue-test-build-release";
    static final String LOCK = "root/catalogage/.deploy-lock";

    @TempDir
    static Path tmp;
    static TestHosts hosts;
    static TestHost web;
    static String env;
    static Path ws;
    static Path repo;
    static String keyText;
    static String dbPassword;
    static final List<String> logs = new ArrayList<>();

    TestContext ctx;

    @BeforeAll
    static void environment(TestHosts testHosts) throws Exception {
        hosts = testHosts;
        env = hosts.name();
        web = hosts.host(0);
        ws = tmp.resolve("workspace");
        repo = tmp.resolve("catalogue-app.git");
        run(tmp, Path.of("../examples/make-app-repo").toAbsolutePath().toString(), repo.toString());
        addVersions();
        DatabaseHost.Database db = DatabaseHost.provision(hosts, hosts.host(1), List.of(web), "catalogue", "catalogue",
                DatabaseHost.HOSTILE_PASSWORD);
        dbPassword = db.password();
        Path ops = ws.resolve("ops/ansible");
        Path dir = ops.resolve("environments").resolve(env);
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(ops.resolve("group_vars"));
        Files.writeString(ops.resolve("group_vars/web.yml"), "workdir: \"{{ ansible_env.HOME }}/catalogage\"\n"
                + "git_repo: \"" + repo + "\"\ngit_version: v1\napi_port: 3579\nclient_port: 3000\n"
                + "domain_name: \"{{ inventory_hostname }}\"\n");
        Files.writeString(dir.resolve("hosts"), "[web]\n" + web.name() + " ansible_host=" + web.address() + " ansible_user=root\n\n"
                + "[db]\n" + hosts.host(1).name() + " ansible_host=" + hosts.host(1).address() + " ansible_user=root\n\n"
                + "[all:vars]\nansible_ssh_private_key_file=/nonexistent/id_ed25519\n");
        Files.copy(hosts.knownHosts(), dir.resolve("known_hosts"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "tls_enabled: false\npython_runtime: system\nnode_runtime: system\n"
                + "client_url: \"http://{{ domain_name }}\"\ndatapass_url: \"http://datapass.invalid\"\n"
                + "system_packages: [python3-starlette, python3-uvicorn, python3-sqlalchemy, python3-alembic, python3-psycopg2,"
                + " python3-yaml, python3-venv, python3-pip, nodejs, npm]\nvenv_system_site_packages: true\npip_no_index: true\n");
        VaultSecret secret = new VaultSecret(VaultSecret.DEFAULT_LABEL, VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8), "test");
        String secrets = "secret_key: '" + SECRET_KEY + "'\ndatabase_url: '" + db.url() + "'\n"
                + "datapass_client_id: 'dp-id'\ndatapass_client_secret: '" + DATAPASS_SECRET + "'\n"
                + "config_repo_api_key: '" + API_KEY + "'\n";
        Files.write(dir.resolve("secrets"), new Vault(List.of(secret)).encrypt(secrets.getBytes(StandardCharsets.UTF_8), secret));
        keyText = Files.readString(hosts.privateKey());
    }

    /** Versions for the tests, on top of v2: a build that waits for the test, and one that prints the app's settings and fails. */
    static void addVersions() throws Exception {
        Path work = tmp.resolve("app-work");
        run(tmp, "git", "clone", "-q", repo.toString(), work.toString());
        run(work, "git", "checkout", "-q", "--detach", "v2");
        String makefile = Files.readString(work.resolve("Makefile"));
        Files.writeString(work.resolve("Makefile"), makefile.replace("build:\n", "build:\n\ttouch /" + BUILD_HELD
                + "; i=0; while [ ! -e /" + BUILD_RELEASE + " ] && [ $$i -lt 3000 ]; do sleep 0.1; i=$$((i+1)); done\n"));
        commitAndTag(work, "v2-held-build");
        run(work, "git", "checkout", "-q", "--detach", "v2");
        Files.writeString(work.resolve("Makefile"), makefile.replace("build:\n", "build:\n\tcat .env; grep -h APP_SECRET_KEY .env; grep -h APP_DATABASE_URL .env; exit 3\n"));
        commitAndTag(work, "v2-build-prints-settings");
        run(work, "git", "push", "-q", "origin", "v2-held-build", "v2-build-prints-settings");
    }

    static void commitAndTag(Path work, String tag) throws Exception {
        run(work, "git", "-c", "user.name=Test", "-c", "user.email=test@catalogue.test", "-c", "commit.gpgsign=false", "commit", "-q",
                "-am", tag);
        run(work, "git", "-c", "tag.gpgsign=false", "tag", tag);
    }

    static String run(Path dir, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out.strip();
    }

    @BeforeEach
    void context() {
        ctx = new TestContext(ws).install();
        ctx.secrets.put("vault", VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8));
        ctx.keys.put("ssh", new JenkinsServices.SshKey("root", List.of(keyText), null));
        ctx.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        ctx.env.put("BUILD_URL", "https://ci.catalogue.test/job/deploy-" + env + "/7/");
        ctx.env.put("JOB_NAME", "deploy-" + env);
        ctx.env.put("BUILD_NUMBER", "7");
        ctx.run.startedBy = "alice";
    }

    @AfterEach
    void closeContext() throws Exception {
        assertTrue(ctx.agentsEnded(120_000), "a step's work still runs after its test");
        logs.add(ctx.log());
        ctx.close();
    }

    Map<String, Object> args(Object... pairs) {
        Map<String, Object> args = new HashMap<>(Map.of("env", env, "credentialsId", "ssh", "vaultCredentialsId", "vault"));
        for (int i = 0; i < pairs.length; i += 2) {
            args.put((String) pairs[i], pairs[i + 1]);
        }
        return args;
    }

    CatalogueDeployStep.Execution deploy(Object... pairs) throws Exception {
        return new CatalogueDeployStep.Execution(PipelineArguments.instantiate(CatalogueDeployStep.class, args(pairs)), ctx);
    }

    static String git(String... argv) throws Exception {
        List<String> all = new ArrayList<>(List.of("git", "--git-dir", repo.toString()));
        all.addAll(List.of(argv));
        return run(tmp, all.toArray(String[]::new));
    }

    static String page() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + web.address() + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    @Order(1)
    void deployDeploysTheExampleAppAndReturnsItsMap() throws Exception {
        Map<String, Object> provisioned = new CatalogueProvisionStep.Execution(PipelineArguments.instantiate(
                CatalogueProvisionStep.class, args()), ctx).run();
        assertEquals(true, provisioned.get("succeeded"), ctx.log());

        Map<String, Object> r = deploy("gitVersion", "v1").run();
        String v1 = git("rev-parse", "v1^{commit}");
        assertEquals(true, r.get("succeeded"), ctx.log());
        assertEquals("deploy", r.get("operation"));
        assertEquals(v1, r.get("commit"));
        assertEquals("v1", r.get("ref"));
        assertEquals(List.of(web.name()), r.get("hosts"));
        assertEquals(false, r.get("rolledBack"));
        assertEquals("", r.get("previousRelease"), "the first release replaces none");
        String release = (String) r.get("release");
        assertTrue(release.matches("\\d{14}-" + v1.substring(0, 7)), release);
        Map<?, ?> host = (Map<?, ?>) ((Map<?, ?>) r.get("perHost")).get(web.name());
        assertEquals("deployed", host.get("result"), host.toString());
        assertEquals(release, host.get("release"));
        assertTrue(((List<?>) host.get("steps")).size() > 5, host.toString());
        assertTrue((long) r.get("durationMs") > 0);
        assertTrue(page().contains("api " + v1 + " · migration 0001"), page());
        assertTrue(ctx.log().contains("\ndeploying " + env + " (" + web.name() + ")\n"), ctx.log());
        assertTrue(ctx.log().contains("changed  " + web.name() + " | switch ("), ctx.log());

        Map<String, Object> v2 = deploy("gitVersion", "v2").run();
        assertEquals(true, v2.get("succeeded"), ctx.log());
        assertEquals(release, v2.get("previousRelease"));
        assertTrue(page().contains("api " + git("rev-parse", "v2^{commit}") + " · migration 0002"), page());
    }

    @Test
    @Order(2)
    void releasesListsThemAndTheyNameTheBuildAndTheUserWhoStartedIt() throws Exception {
        List<Map<String, Object>> releases = new CatalogueReleasesStep.Execution(PipelineArguments.instantiate(
                CatalogueReleasesStep.class, args()), ctx).run();
        assertEquals(2, releases.size(), releases.toString());
        Map<String, Object> live = releases.get(0);
        assertEquals(true, live.get("live"), releases.toString());
        assertEquals("v2", live.get("ref"));
        assertEquals("live", live.get("state"));
        assertEquals(web.name(), live.get("host"));
        assertEquals("alice", live.get("deployedBy"));
        assertEquals("deploy-" + env + " #7 (https://ci.catalogue.test/job/deploy-" + env + "/7/)", live.get("from"));
        assertEquals("previous", releases.get(1).get("state"));
    }

    /** The app's build prints its settings (secrets included) and fails: the step fails naming host and step; no secret shows. */
    @Test
    @Order(3)
    void aFailedDeployFailsTheStepNamingTheHostAndTheStepAndShowsNoSecret() throws Exception {
        AbortException e = assertThrows(AbortException.class, () -> deploy("gitVersion", "v2-build-prints-settings").run());
        assertTrue(e.getMessage().startsWith("catalogueDeploy " + env + " failed: failed before the switch, the live release kept"
                + " serving: " + web.name() + ": build: make build failed (exit 2): "), e.getMessage());
        assertTrue(e.getMessage().contains("APP_SECRET_KEY='" + MaskingStream.MASK), "the output of the app's command is there,"
                + " masked: " + e.getMessage());
        assertNoSecret(e.getMessage());
        assertTrue(page().contains("api " + git("rev-parse", "v2^{commit}")), "v2 still serves");
    }

    /** The build is held on the host; the abort lands during it: the live release keeps serving, the lock is released. */
    @Test
    @Order(4)
    void anAbortBeforeTheSwitchLeavesTheOldReleaseServingAndTheLockFree() throws Exception {
        Path held = web.root().resolve(BUILD_HELD);
        Files.deleteIfExists(held);
        Files.deleteIfExists(web.root().resolve(BUILD_RELEASE));
        try {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread step = start(deploy("gitVersion", "v2-held-build"), outcome);
            await(Duration.ofSeconds(300), () -> Files.exists(held) || !step.isAlive(), () -> "the build did not start: " + ctx.log());
            assertTrue(step.isAlive(), "the step ended before the build was held: " + outcome.get() + "\n" + ctx.log());
            assertTrue(Files.exists(web.root().resolve(LOCK)), "the deploy holds the lock");
            step.interrupt();
            step.join(10_000);
            assertFalse(step.isAlive(), "the step still runs 10 s after the abort");
            assertInstanceOf(InterruptedException.class, outcome.get());
            assertTrue(ctx.agentsEnded(60_000), "the deploy still runs on the workspace's node a minute after the abort");
        } finally {
            Files.writeString(web.root().resolve(BUILD_RELEASE), "");
        }
        assertTrue(ctx.log().contains("the deploy was aborted before the switch: nothing was switched"), ctx.log());
        assertFalse(Files.exists(web.root().resolve(LOCK)), "the lock is released");
        assertTrue(page().contains("api " + git("rev-parse", "v2^{commit}")), "v2 still serves");
        List<Map<String, Object>> releases = new CatalogueReleasesStep.Execution(PipelineArguments.instantiate(
                CatalogueReleasesStep.class, args()), ctx).run();
        assertEquals("v2", releases.stream().filter(m -> m.get("live").equals(true)).findFirst().orElseThrow().get("ref"));
        assertEquals("failed", releases.stream().filter(m -> m.get("ref").equals("v2-held-build")).findFirst().orElseThrow()
                .get("state"), "the aborted release is marked failed: " + releases);
    }

    /**
     * A process named as an nginx worker of the configuration before the switch holds the switch
     * (it ends once no such worker is left, traffic already on the new side); the abort lands
     * while it waits, after the upstreams file changed: the host ends on the new side (switch
     * completed, current moved) and the lock is released.
     */
    @Test
    @Order(5)
    void anAbortDuringTheSwitchEndsOnOneSide() throws Exception {
        Path upstreams = web.root().resolve("etc/nginx/catalogue-upstreams.conf");
        String before = Files.readString(upstreams);
        String pid = ssh("setsid bash -c 'exec -a \"nginx: worker process\" sleep 600' </dev/null >/dev/null 2>&1 &"
                + " echo $!");
        try {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread step = start(deploy("gitVersion", "feature/tag-count"), outcome);
            await(Duration.ofSeconds(300), () -> !before.equals(read(upstreams)) || !step.isAlive(),
                    () -> "the switch did not begin: " + ctx.log());
            assertTrue(step.isAlive(), "the step ended before the switch: " + outcome.get() + "\n" + ctx.log());
            assertFalse(ctx.log().contains(" | switch ("), "the switch is still waiting for the old worker: " + ctx.log());
            step.interrupt();
            step.join(10_000);
            assertFalse(step.isAlive(), "the step still runs 10 s after the abort");
            assertInstanceOf(InterruptedException.class, outcome.get());
            ssh("kill " + pid);
            assertTrue(ctx.agentsEnded(120_000), "the deploy still runs on the workspace's node two minutes after the abort");
        } finally {
            ssh("kill " + pid + " 2>/dev/null; true");
        }
        String feature = git("rev-parse", "feature/tag-count^{commit}");
        assertTrue(ctx.log().contains("the deploy was aborted during the switch: " + web.name() + " deployed"), ctx.log());
        assertTrue(page().contains("api " + feature), "the switch was completed: the new version serves");
        assertEquals(feature, Files.readString(web.root().resolve("root/catalogage/current").toRealPath().resolve("REVISION")).strip(),
                "current moved with the switch");
        assertFalse(Files.exists(web.root().resolve(LOCK)), "the lock is released");
    }

    @Test
    @Order(6)
    void rollbackReturnsToThePreviousRelease() throws Exception {
        Map<String, Object> r = new CatalogueRollbackStep.Execution(PipelineArguments.instantiate(CatalogueRollbackStep.class,
                args()), ctx).run();
        assertEquals(true, r.get("succeeded"), ctx.log());
        assertEquals("rollback", r.get("operation"));
        String v2 = git("rev-parse", "v2^{commit}");
        assertEquals(v2, r.get("commit"), r.toString());
        assertTrue(page().contains("api " + v2), "back to v2");
        assertEquals("rolled back", ((Map<?, ?>) ((Map<?, ?>) r.get("perHost")).get(web.name())).get("result"), r.toString());
    }

    @Test
    @Order(7)
    void noBuildLogShowsASecret() {
        assertTrue(logs.size() >= 6, "the logs of the tests before");
        for (String log : logs) {
            assertNoSecret(log);
        }
    }

    static void assertNoSecret(String text) {
        for (String planted : List.of(VAULT_PASSWORD, SECRET_KEY, DATAPASS_SECRET, API_KEY, dbPassword,
                URLEncoder.encode(dbPassword, StandardCharsets.UTF_8), URLEncoder.encode(dbPassword, StandardCharsets.UTF_8)
                        .replace("+", "%20"))) {
            assertFalse(text.contains(planted), "a secret shows: " + planted + " in\n" + text);
        }
        for (String line : keyText.lines().filter(l -> l.length() >= 8).toList()) {
            assertFalse(text.contains(line), "the SSH key shows");
        }
    }

    Thread start(CatalogueDeployStep.Execution execution, AtomicReference<Throwable> outcome) {
        Thread t = new Thread(() -> {
            try {
                execution.run();
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "test-step");
        t.start();
        return t;
    }

    static String ssh(String command) throws Exception {
        Process p = new ProcessBuilder(hosts.sshArgv(web, "root", command)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ssh " + command);
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("after " + timeout.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
