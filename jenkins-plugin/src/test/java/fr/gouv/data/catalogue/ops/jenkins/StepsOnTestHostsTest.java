package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import fr.gouv.data.catalogue.ops.testbed.TestbedExtension;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import hudson.AbortException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps' executions under a test context against a real test host: provision returns its
 * map, the build log holds no secret (known ones are planted, and one flows into a file the diff
 * shows), an abort stops cleanly and a later run completes, ping and environments answer.
 */
class StepsOnTestHostsTest {
    static final String VAULT_PASSWORD = "vault-pw-Jenkins-7d1e";
    static final String SECRET_KEY = "plantedSecretKey9f3a";
    static final String DB_PASSWORD = "db/p@ss:w0rd?planted";
    static final String API_KEY = "plantedApiKey-0c2d4e";

    @TempDir
    Path tmp;

    @Test
    void provisionReturnsItsMapMasksSecretsAndStopsCleanlyOnAbort() throws Exception {
        TestbedExtension.requireRoot();
        String name = TestHosts.newName();
        try (TestHosts hosts = TestHosts.create(name, 1, false)) {
            Path ws = tmp.resolve("workspace");
            Path ops = ws.resolve("ops/ansible");
            VaultSecret secret = new VaultSecret(VaultSecret.DEFAULT_LABEL, VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8), "test");
            Vault vault = new Vault(List.of(secret));
            Path env = TestbedEnvironment.write(ops, hosts, vault, secret);
            Files.write(env.resolve("secrets"), vault.encrypt(("secret_key: '" + SECRET_KEY + "'\n"
                    + "config_repo_api_key: '" + API_KEY + "'\n"
                    + "database_url: 'postgresql://catalogue:" + java.net.URLEncoder.encode(DB_PASSWORD, StandardCharsets.UTF_8)
                    + "@db.catalogue.test:5432/catalogue'\n"
                    + "datapass_client_id: 'testbed'\ndatapass_client_secret: '" + DB_PASSWORD + "'\n").getBytes(StandardCharsets.UTF_8),
                    secret));
            // a secret flows into a file the diff shows: the log must still not hold it
            Files.writeString(env.resolve("group_vars/web.yml"), Files.readString(env.resolve("group_vars/web.yml"))
                    + "domain_name: \"web-{{ secret_key }}.catalogue.test\"\n");
            // only the key from the credentials can log in: the inventory's key file is gone
            String keyText = Files.readString(hosts.privateKey());
            Files.writeString(env.resolve("hosts"), Files.readString(env.resolve("hosts"))
                    .replace(hosts.privateKey().toString(), "/nonexistent/id_ed25519"));
            Files.deleteIfExists(ops.resolve("vault-password"));

            try (TestContext ctx = new TestContext(ws).install()) {
                ctx.secrets.put("vault", VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8));
                ctx.keys.put("ssh", new JenkinsServices.SshKey("root", List.of(keyText), null));
                Map<String, Object> args = Map.of("env", name, "credentialsId", "ssh", "vaultCredentialsId", "vault", "diff", true);

                abortStopsCleanly(ctx, args);
                // the aborted command may still be finishing on the host (commands are not killed: a killed
                // dpkg leaves packages half-configured); the next run waits for apt's locks up to a minute
                // (TasksOnTestHostsTest), and a slow machine's install may take longer: let it end first
                awaitNoApt(hosts);

                CatalogueProvisionStep step = PipelineArguments.instantiate(CatalogueProvisionStep.class, args);
                Map<String, Object> first = new CatalogueProvisionStep.Execution(step, ctx).run();
                assertEquals(List.of(name + "-1"), first.get("hosts"));
                assertEquals(0, first.get("failed"), ctx.log());
                assertEquals(true, first.get("succeeded"));
                assertTrue((int) first.get("changed") > 0, first.toString());
                Map<String, Object> second = new CatalogueProvisionStep.Execution(step, ctx).run();
                assertEquals(0, second.get("changed"), "the run after the abort completed the host: " + ctx.log());

                String log = ctx.log();
                assertTrue(log.contains("server_name web-" + MaskingStream.MASK + ".catalogue.test"), "the diff went through the mask: "
                        + log);
                assertTrue(log.contains("RECAP ("), log);
                for (String planted : List.of(VAULT_PASSWORD, SECRET_KEY, DB_PASSWORD, API_KEY,
                        java.net.URLEncoder.encode(DB_PASSWORD, StandardCharsets.UTF_8))) {
                    assertFalse(log.contains(planted), "the build log shows a secret: " + planted);
                }
                for (String line : keyText.lines().filter(l -> l.length() >= 8).toList()) {
                    assertFalse(log.contains(line), "the build log shows the SSH key");
                }
                assertTrue(ctx.lookups.contains("vault") && ctx.lookups.contains("ssh"), ctx.lookups.toString());

                Map<String, Object> ping = new CataloguePingStep.Execution(
                        PipelineArguments.instantiate(CataloguePingStep.class, Map.of("env", name, "credentialsId", "ssh")), ctx).run();
                assertEquals(true, ((Map<?, ?>) ping.get(name + "-1")).get("ok"), ctx.log());
                assertEquals(List.of(name), new CatalogueEnvironmentsStep.Execution(
                        PipelineArguments.instantiate(CatalogueEnvironmentsStep.class, Map.of()), ctx).run());

                AbortException bad = assertThrows(AbortException.class, () -> new CatalogueProvisionStep.Execution(
                        PipelineArguments.instantiate(CatalogueProvisionStep.class, Map.of("env", "nosuchenv",
                                "vaultCredentialsId", "vault")), ctx).run());
                assertTrue(bad.getMessage().startsWith("catalogueProvision nosuchenv: ") && !bad.getMessage().contains("\n"),
                        bad.getMessage());
                AbortException noVault = assertThrows(AbortException.class, () -> new CatalogueProvisionStep.Execution(
                        PipelineArguments.instantiate(CatalogueProvisionStep.class, Map.of("env", name)), ctx).run());
                assertTrue(noVault.getMessage().contains("set vaultCredentialsId"), noVault.getMessage());
            }
            assertFalse(Files.list(Path.of(System.getProperty("java.io.tmpdir"))).anyMatch(p -> p.getFileName().toString()
                    .startsWith("catalogue-ops-jenkins-") && isRecent(p)), "each step removed its private copy");
        }
    }

    /** Interrupted as Jenkins stops a step (its thread interrupted), in the middle of its first task: it ends, cleanly. */
    private static void abortStopsCleanly(TestContext ctx, Map<String, Object> args) throws Exception {
        CatalogueProvisionStep step = PipelineArguments.instantiate(CatalogueProvisionStep.class, args);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                new CatalogueProvisionStep.Execution(step, ctx).run();
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        for (int i = 0; i < 1200 && !ctx.log().contains("provisioning "); i++) {
            Thread.sleep(50);
        }
        assertTrue(ctx.log().contains("provisioning "), ctx.log());
        Thread.sleep(3000);
        long stopAt = System.nanoTime();
        t.interrupt();
        t.join(180_000);
        assertFalse(t.isAlive(), "the step ends after an abort");
        System.out.println("abort: the step ended " + (System.nanoTime() - stopAt) / 1_000_000 + " ms after the interrupt");
        assertTrue(outcome.get() instanceof InterruptedException || outcome.get() instanceof AbortException,
                String.valueOf(outcome.get()));
        java.io.StringWriter trace = new java.io.StringWriter();
        if (outcome.get() != null) {
            outcome.get().printStackTrace(new java.io.PrintWriter(trace));
        }
        // during a command (the usual case), or between two commands or tasks when the interrupt falls there
        assertTrue(ctx.log().contains(": the run was aborted during `") || ctx.log().contains(": the run was aborted before `")
                || ctx.log().contains("stopped: the run was aborted before this task"), ctx.log() + trace);
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(th -> th.isAlive()
                && th.getName().startsWith(fr.gouv.data.catalogue.ops.internal.task.PlayRunner.HOST_THREAD)),
                "no host thread of the play is left working");
    }

    private static void awaitNoApt(TestHosts hosts) throws Exception {
        Process p = new ProcessBuilder(hosts.sshArgv(hosts.host(0), "root",
                "for i in $(seq 300); do pidof -q apt-get dpkg || exit 0; sleep 1; done; exit 1"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "apt still runs on the host 5 min after the abort: " + out);
    }

    private static boolean isRecent(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() > System.currentTimeMillis() - 3_600_000;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
