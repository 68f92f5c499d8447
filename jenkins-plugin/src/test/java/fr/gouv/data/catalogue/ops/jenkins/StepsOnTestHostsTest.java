package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fr.gouv.data.catalogue.ops.internal.task.PlayRunner;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import hudson.AbortException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps' executions under a test context against one real test host, shared by the tests in
 * the order given: an abort first, on the fresh host, then the run that completes it, then steps
 * on the provisioned host. Each test has its own build log and credentials store.
 *
 * <p>The environment is built so that only the credentials can work: the inventory names a key
 * file that does not exist and the ops folder has no vault-password file. Known secrets are
 * planted in the secrets file, and one flows into a file whose diff the log shows.
 */
@Testbed
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StepsOnTestHostsTest {
    static final String VAULT_PASSWORD = "vault-pw-Jenkins-7d1e";
    static final String SECRET_KEY = "plantedSecretKey9f3a";
    static final String DB_PASSWORD = "db/p@ss:w0rd?planted";
    static final String API_KEY = "plantedApiKey-0c2d4e";

    /** The first command of the first task ({@code apt cache}) on a host whose lists are old. */
    static final String APT_UPDATE = "apt-get update -q -o DPkg::Lock::Timeout=60";
    /** On the host: an apt hook holds {@code apt-get update} until the test creates the release file. */
    static final String HOLD_HOOK = "etc/apt/apt.conf.d/00catalogue-test-hold";
    static final String HOLD_SCRIPT = "usr/local/sbin/catalogue-test-hold";
    static final String HELD = "tmp/catalogue-test-update-held";
    static final String RELEASE = "tmp/catalogue-test-update-release";
    /** The app's nginx site; its server_name is derived from a secret. */
    static final String SITE = "etc/nginx/sites-enabled/catalogage.conf";

    @TempDir
    static Path tmp;

    static TestHosts hosts;
    static String name;
    static String host;
    static Path ws;
    static String keyText;

    TestContext ctx;

    @BeforeAll
    static void environment(TestHosts testHosts) throws Exception {
        hosts = testHosts;
        name = hosts.name();
        host = hosts.host(0).name();
        ws = tmp.resolve("workspace");
        Path ops = ws.resolve("ops/ansible");
        VaultSecret secret = new VaultSecret(VaultSecret.DEFAULT_LABEL, VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8), "test");
        Vault vault = new Vault(List.of(secret));
        Path env = fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment.write(ops, hosts, vault, secret);
        Files.write(env.resolve("secrets"), vault.encrypt(("secret_key: '" + SECRET_KEY + "'\n"
                + "config_repo_api_key: '" + API_KEY + "'\n"
                + "database_url: 'postgresql://catalogue:" + URLEncoder.encode(DB_PASSWORD, StandardCharsets.UTF_8)
                + "@db.catalogue.test:5432/catalogue'\n"
                + "datapass_client_id: 'testbed'\ndatapass_client_secret: '" + DB_PASSWORD + "'\n").getBytes(StandardCharsets.UTF_8),
                secret));
        // a secret flows into a file the diff shows
        Files.writeString(env.resolve("group_vars/web.yml"), Files.readString(env.resolve("group_vars/web.yml"))
                + "domain_name: \"web-{{ secret_key }}.catalogue.test\"\n");
        // only the key from the credentials can log in: the inventory's key file is gone
        keyText = Files.readString(hosts.privateKey());
        Files.writeString(env.resolve("hosts"), Files.readString(env.resolve("hosts"))
                .replace(hosts.privateKey().toString(), "/nonexistent/id_ed25519"));
        Files.deleteIfExists(ops.resolve("vault-password"));
    }

    @BeforeEach
    void context() {
        ctx = new TestContext(ws).install();
        ctx.secrets.put("vault", VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8));
        ctx.keys.put("ssh", new JenkinsServices.SshKey("root", List.of(keyText), null));
    }

    @AfterEach
    void closeContext() {
        ctx.close();
    }

    /**
     * Jenkins stops a step by interrupting its thread. The host's {@code apt-get update} is held
     * by an apt hook, so the interrupt surely lands while that command runs: the step ends at once
     * with the interrupt, the log names the command, and nothing else runs on the host.
     */
    @Test
    @Order(1)
    void anAbortWhileACommandRunsEndsTheStepAtOnceAndTheLogNamesTheCommand() throws Exception {
        TestHost h = hosts.host(0);
        makeAptListsOld(h);
        holdAptUpdate(h);
        try {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread step = new Thread(() -> {
                try {
                    provision(Map.of()).run();
                } catch (Throwable e) {
                    outcome.set(e);
                }
            }, "test-step");
            step.start();
            await(Duration.ofSeconds(120), () -> Files.exists(h.root().resolve(HELD)) || !step.isAlive(),
                    () -> "apt-get update did not start on the host; log:\n" + ctx.log());
            assertTrue(step.isAlive(), "the step ended before apt-get update was held: " + outcome.get() + "\n" + ctx.log());

            long interruptedAt = System.nanoTime();
            step.interrupt();
            step.join(5_000);
            assertFalse(step.isAlive(), "the step still runs 5 s after the abort (apt-get update is still held on the host)");
            assertTrue(ctx.agentsEnded(5_000), "the work on the workspace's node still runs 5 s after the abort");
            System.out.println("abort: the step ended " + (System.nanoTime() - interruptedAt) / 1_000_000
                    + " ms after the interrupt");

            assertInstanceOf(InterruptedException.class, outcome.get(), "how the step ended");
            String log = ctx.log();
            assertTrue(log.contains("\n         " + host + ": the run was aborted during `" + APT_UPDATE + "`; its session is"
                    + " closed"), log);
            List<String> results = log.lines().filter(l -> l.matches("\\S+ +" + host + " \\| .*")).toList();
            assertEquals(1, results.size(), "one result, the aborted task's; no task started after it: " + log);
            assertTrue(results.get(0).startsWith("aborted  " + host + " | apt cache ("), results.get(0));
            assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(th -> th.isAlive()
                    && th.getName().startsWith(PlayRunner.HOST_THREAD)), "a host thread of the play is left working");
        } finally {
            releaseAptUpdate(h);
        }
    }

    /** The aborted command has ended on the host (the abort test waits for it); a new run completes the host. */
    @Test
    @Order(2)
    void aRunAfterAnAbortedOneCompletesTheHost() throws Exception {
        Map<String, Object> result = provision(Map.of()).run();
        assertEquals(List.of(host), result.get("hosts"));
        assertEquals(0, result.get("failed"), ctx.log());
        assertEquals(true, result.get("succeeded"));
        assertTrue((int) result.get("changed") > 0, result.toString());
        Path root = hosts.host(0).root();
        assertTrue(Files.isExecutable(root.resolve("usr/sbin/nginx")) && Files.isRegularFile(root.resolve(SITE)),
                "nginx and the app's site are on the host");
    }

    @Test
    @Order(3)
    void aRunOnAProvisionedHostChangesNothing() throws Exception {
        Map<String, Object> result = provision(Map.of()).run();
        assertEquals(0, result.get("changed"), ctx.log());
        assertEquals(true, result.get("succeeded"), ctx.log());
    }

    /**
     * The site's server_name is derived from secret_key: a drifted site is repaired with
     * {@code diff: true}, so the secret reaches the diff; it and every other planted secret are
     * masked in the whole build log.
     */
    @Test
    @Order(4)
    void noSecretReachesTheBuildLogEvenThroughADiff() throws Exception {
        Files.writeString(hosts.host(0).root().resolve(SITE), "# drifted\n");
        provision(Map.of("diff", true)).run();
        String log = ctx.log();
        assertTrue(log.lines().anyMatch(l -> l.startsWith("         +") && l.contains("server_name web-" + MaskingStream.MASK
                + ".catalogue.test")), "a line of the diff holds the secret's place, masked: " + log);
        for (String planted : List.of(VAULT_PASSWORD, SECRET_KEY, DB_PASSWORD, API_KEY,
                URLEncoder.encode(DB_PASSWORD, StandardCharsets.UTF_8))) {
            assertFalse(log.contains(planted), "the build log shows a secret: " + planted);
        }
        for (String line : keyText.lines().filter(l -> l.length() >= 8).toList()) {
            assertFalse(log.contains(line), "the build log shows the SSH key");
        }
    }

    /** The inventory's key file does not exist and there is no vault-password file: the credentials are what works. */
    @Test
    @Order(5)
    void provisionLogsInWithTheCredentialsKeyAndDecryptsWithTheCredentialsVaultPassword() throws Exception {
        Map<String, Object> result = provision(Map.of("check", true)).run();
        assertEquals(true, result.get("succeeded"), ctx.log());
        assertEquals(Set.of("ssh", "vault"), Set.copyOf(ctx.lookups), "the credentials looked up");
    }

    @Test
    @Order(6)
    void provisionLogsEachTaskAndARecapAsTheCommandLineDoes() throws Exception {
        provision(Map.of("check", true)).run();
        String log = ctx.log();
        assertTrue(log.startsWith("checking " + name + " (" + host + ")\n"), log);
        assertTrue(log.contains("\nok       " + host + " | apt cache ("), log);
        assertTrue(log.matches("(?s).*\nRECAP \\(\\d+ ms\\)\n" + host + " +ok=\\d+ +changed=0 +failed=0 +skipped=\\d+ +unreachable=0\n"),
                log);
    }

    @Test
    @Order(7)
    void pingAnswersForTheHost() throws Exception {
        Map<String, Object> ping = new CataloguePingStep.Execution(
                PipelineArguments.instantiate(CataloguePingStep.class, Map.of("env", name, "credentialsId", "ssh")), ctx).run();
        assertEquals(List.of(host), List.copyOf(ping.keySet()));
        assertEquals(true, ((Map<?, ?>) ping.get(host)).get("ok"), ctx.log());
    }

    @Test
    @Order(8)
    void environmentsListsTheOpsFoldersEnvironments() throws Exception {
        assertEquals(List.of(name), new CatalogueEnvironmentsStep.Execution(
                PipelineArguments.instantiate(CatalogueEnvironmentsStep.class, Map.of()), ctx).run());
    }

    @Test
    @Order(9)
    void provisionOfAnUnknownEnvironmentFailsWithOneLineNamingIt() {
        AbortException bad = assertThrows(AbortException.class, () -> new CatalogueProvisionStep.Execution(
                PipelineArguments.instantiate(CatalogueProvisionStep.class, Map.of("env", "nosuchenv",
                        "vaultCredentialsId", "vault")), ctx).run());
        assertTrue(bad.getMessage().startsWith("catalogueProvision nosuchenv: "), bad.getMessage());
        assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
    }

    @Test
    @Order(10)
    void provisionWithoutVaultCredentialsIdFailsSayingToSetIt() {
        AbortException noVault = assertThrows(AbortException.class, () -> new CatalogueProvisionStep.Execution(
                PipelineArguments.instantiate(CatalogueProvisionStep.class, Map.of("env", name)), ctx).run());
        assertTrue(noVault.getMessage().contains("set vaultCredentialsId"), noVault.getMessage());
    }

    /** Each step copies the ops folder into a private folder of its own, and removes it when it ends. */
    @Test
    @Order(11)
    void everyStepRemovesItsPrivateCopyOfTheOpsFolder() throws Exception {
        provision(Map.of("check", true)).run();
        new CataloguePingStep.Execution(
                PipelineArguments.instantiate(CataloguePingStep.class, Map.of("env", name, "credentialsId", "ssh")), ctx).run();
        new CatalogueEnvironmentsStep.Execution(
                PipelineArguments.instantiate(CatalogueEnvironmentsStep.class, Map.of()), ctx).run();
        assertEquals(3, ctx.copies.size(), "copies made: " + ctx.copies);
        for (Path copy : ctx.copies) {
            assertFalse(Files.exists(copy), "left behind: " + copy);
            assertFalse(Files.exists(copy.getParent()), "left behind: " + copy.getParent());
        }
    }

    /** A provision step of the test environment with the credentials, plus {@code more} arguments. */
    private CatalogueProvisionStep.Execution provision(Map<String, Object> more) throws Exception {
        Map<String, Object> args = new HashMap<>(Map.of("env", name, "credentialsId", "ssh", "vaultCredentialsId", "vault"));
        args.putAll(more);
        return new CatalogueProvisionStep.Execution(PipelineArguments.instantiate(CatalogueProvisionStep.class, args), ctx);
    }

    /** Lists older than the recipe's hour (whatever the image's age), so the apt cache task runs apt-get update. */
    private static void makeAptListsOld(TestHost h) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        try (Stream<Path> lists = Files.list(h.root().resolve("var/lib/apt/lists"))) {
            for (Path p : (Iterable<Path>) lists::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.setLastModifiedTime(p, old);
                }
            }
        }
    }

    /** From now on, apt-get update on the host says it started (file HELD) and waits for RELEASE, 5 minutes at most. */
    private static void holdAptUpdate(TestHost h) throws IOException {
        Files.deleteIfExists(h.root().resolve(HELD));
        Files.deleteIfExists(h.root().resolve(RELEASE));
        Path script = h.root().resolve(HOLD_SCRIPT);
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\ntouch /" + HELD + "\ni=0\n"
                + "while [ ! -e /" + RELEASE + " ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(h.root().resolve(HOLD_HOOK), "APT::Update::Pre-Invoke { \"/" + HOLD_SCRIPT + "\"; };\n");
    }

    /** Lets a held apt-get update go on, waits until no apt or dpkg runs on the host, and removes the hook. */
    private static void releaseAptUpdate(TestHost h) throws Exception {
        Files.writeString(h.root().resolve(RELEASE), "");
        // the aborted command is not killed (a killed dpkg leaves packages half-configured): it finishes
        // on its own, and the next run must not meet its locks
        Process p = new ProcessBuilder(hosts.sshArgv(h, "root",
                "for i in $(seq 600); do pidof -q apt-get dpkg || exit 0; sleep 0.5; done; exit 1"))
                .redirectErrorStream(true).start();
        boolean ended = p.waitFor(330, TimeUnit.SECONDS);
        String out = ended ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (!ended) {
            p.destroyForcibly();
        }
        Files.deleteIfExists(h.root().resolve(HOLD_HOOK));
        Files.deleteIfExists(h.root().resolve(HOLD_SCRIPT));
        Files.deleteIfExists(h.root().resolve(HELD));
        Files.deleteIfExists(h.root().resolve(RELEASE));
        assertTrue(ended && p.exitValue() == 0, "apt still runs on the host 5 min after the abort: " + out);
    }

    /** Polls {@code condition} every 50 ms until it holds; at the deadline, fails with {@code what}. */
    private static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("after " + timeout.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
