package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.api.EnvironmentView;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.report.HostKeyTrust;
import fr.gouv.data.catalogue.ops.report.HostPing;
import fr.gouv.data.catalogue.ops.report.PingResult;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.report.StagingSyncReport;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import fr.gouv.data.catalogue.ops.report.TrustResult;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import fr.gouv.data.catalogue.ops.testing.GitFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of the Java API, through {@link CatalogueOps} only, on one test host. Three
 * environments name it: {@code E} as {@code testbed up} writes it; {@code E-closed}, which adds a
 * host whose SSH port is closed; {@code E-keyless}, whose inventory names a key file that does not
 * exist, so that only a key given in memory reaches the host; {@code E-secret-port}, whose
 * inventory gives the web host a closed port and whose secrets the right one, and
 * {@code E-secret-closed}, the other way round (the secrets win, as Ansible's extra vars do).
 *
 * <p>Provisioning runs the {@code nginx} tag only (nginx's configuration, seconds), on a host where
 * the set-up installed nginx: the whole play installs the runtimes too, which takes minutes, and is
 * covered by ProvisionCommandTest.
 */
@Testbed(hosts = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaApiOnTestHostsTest {
    static final String VAULT_PASSWORD = "vault-pw-JavaApi-41c7";
    static final String SECRET_KEY = "plantedSecretKey-JavaApi-5e2b";
    /** No one listens there on a test host: connecting is refused at once. */
    static final int CLOSED_PORT = 1;

    @TempDir
    static Path tmp;
    static Path ops;
    static String env;
    static String closedEnv;
    static String keylessEnv;
    static String secretPortEnv;
    static String secretClosedEnv;
    static TestHost web;
    static String keyText;

    @BeforeAll
    static void environments(TestHosts hosts) throws Exception {
        ops = tmp.resolve("ops/ansible");
        web = hosts.host(0);
        env = hosts.name();
        closedEnv = env + "-closed";
        keylessEnv = env + "-keyless";
        VaultSecret secret = new VaultSecret(VaultSecret.DEFAULT_LABEL, VAULT_PASSWORD.getBytes(StandardCharsets.UTF_8), "test");
        Vault vault = new Vault(List.of(secret));
        Path dir = TestbedEnvironment.write(ops, hosts, vault, secret);
        Files.writeString(ops.resolve("vault-password"), VAULT_PASSWORD + "\n");
        String secrets = "secret_key: '" + SECRET_KEY + "'\n"
                + "config_repo_api_key: 'plantedApiKey-JavaApi'\n"
                + "database_url: 'postgresql://catalogue:catalogue@localhost:5432/catalogue'\n"
                + "datapass_client_id: 'testbed'\ndatapass_client_secret: 'testbed'\n";
        Files.write(dir.resolve("secrets"), vault.encrypt(secrets.getBytes(StandardCharsets.UTF_8), secret));

        String inventory = Files.readString(dir.resolve("hosts"));
        String webLine = web.name() + " ansible_host=" + web.address() + " ansible_user=root\n";
        assertTrue(inventory.contains(webLine), inventory);
        copy(dir, ops.resolve("environments").resolve(closedEnv));
        Files.writeString(ops.resolve("environments").resolve(closedEnv).resolve("hosts"), inventory.replace(webLine,
                webLine + "closed ansible_host=" + web.address() + " ansible_port=" + CLOSED_PORT + " ansible_user=root\n"));
        copy(dir, ops.resolve("environments").resolve(keylessEnv));
        keyText = Files.readString(hosts.privateKey());
        Files.writeString(ops.resolve("environments").resolve(keylessEnv).resolve("hosts"),
                inventory.replace(hosts.privateKey().toString(), "/nonexistent/id_ed25519"));

        secretPortEnv = env + "-secret-port";
        Path secretPort = ops.resolve("environments").resolve(secretPortEnv);
        copy(dir, secretPort);
        Files.writeString(secretPort.resolve("hosts"), inventory.replace(webLine, webLine.replace("\n", " ansible_port="
                + CLOSED_PORT + "\n")));
        Files.write(secretPort.resolve("secrets"), vault.encrypt((secrets + "ansible_port: 22\n").getBytes(StandardCharsets.UTF_8),
                secret));
        secretClosedEnv = env + "-secret-closed";
        Path secretClosed = ops.resolve("environments").resolve(secretClosedEnv);
        copy(dir, secretClosed);
        Files.write(secretClosed.resolve("secrets"), vault.encrypt((secrets + "ansible_port: " + CLOSED_PORT + "\n")
                .getBytes(StandardCharsets.UTF_8), secret));

        // what the nginx tag configures; the play's own package task is tagged provision (with the runtimes)
        ssh(hosts, "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx"
                + " && (service nginx status || service nginx start)");
    }

    static CatalogueOps open() {
        return CatalogueOps.open(ops).vaultPasswordFile(ops.resolve("vault-password"));
    }

    @Test
    void environmentsAreTheOpsFoldersEnvironmentsSorted() throws Exception {
        try (CatalogueOps api = open()) {
            assertEquals(List.of(env, closedEnv, keylessEnv, secretClosedEnv, secretPortEnv), api.environments());
        }
    }

    @Test
    void hostsAreTheWebHostsInInventoryOrder() throws Exception {
        try (CatalogueOps api = open()) {
            assertEquals(List.of(web.name(), "closed"), api.hosts(closedEnv));
        }
    }

    @Test
    void environmentMasksSecrets() throws Exception {
        try (CatalogueOps api = open()) {
            EnvironmentView.VariableView secretKey = variable(api.environment(env), "secret_key");
            assertEquals(EnvironmentView.MASK + " (secret)", secretKey.value() + (secretKey.secret() ? " (secret)" : ""));
        }
    }

    @Test
    void environmentRevealsSecretsWhenAsked() throws Exception {
        try (CatalogueOps api = open()) {
            assertEquals(SECRET_KEY, variable(api.environment(env, true), "secret_key").value());
        }
    }

    @Test
    void extraVarsComeFirst() throws Exception {
        try (CatalogueOps api = open().extraVars(Map.of("git_version", "v2"))) {
            assertEquals("v2", variable(api.environment(env), "git_version").value());
        }
    }

    @Test
    void checkFindsNothingToFix() throws Exception {
        try (CatalogueOps api = open()) {
            assertEquals(List.of(), api.check(env));
        }
    }

    @Test
    void pingAnswersFromEveryHost() throws Exception {
        try (CatalogueOps api = open()) {
            PingResult ping = api.ping(env).call();
            assertEquals(List.of(web.name() + " true"), ping.hosts().stream().map(h -> h.host() + " " + h.ok()).toList());
        }
    }

    @Test
    void pingFailsTheHostWhosePortIsClosedOnly() throws Exception {
        try (CatalogueOps api = open()) {
            List<HostPing> hosts = api.ping(closedEnv).timeout(Duration.ofSeconds(5)).call().hosts();
            assertEquals(List.of(web.name() + " true null", "closed false " + RemoteException.Reason.REFUSED),
                    hosts.stream().map(h -> h.host() + " " + h.ok() + " " + h.reason()).toList(), hosts.toString());
        }
    }

    @Test
    void aKeyInMemoryReachesHostsTheInventorysKeyCannot() throws Exception {
        try (CatalogueOps api = CatalogueOps.open(ops).vaultPassword(VAULT_PASSWORD.toCharArray()).sshKey(keyText, null)) {
            assertTrue(api.ping(keylessEnv).call().allOk());
        }
    }

    @Test
    void withoutTheKeyInMemoryTheMissingKeyFileIsRefusedBeforeAnyHostIsContacted() {
        try (CatalogueOps api = open()) {
            ConfigException e = assertThrows(ConfigException.class, () -> api.ping(keylessEnv).call());
            assertEquals(web.name() + ": ansible_ssh_private_key_file /nonexistent/id_ed25519 cannot be read; fix the path", e.getMessage());
        }
    }

    @Test
    void theSecretsSayHowAHostIsReached() throws Exception {
        // the handshake may begin before the secrets are decrypted, with the inventory's port: closed here
        try (CatalogueOps api = open()) {
            assertEquals(List.of(), api.releases(secretPortEnv), "no release yet, read through port 22");
        }
    }

    @Test
    void aConnectionTheSecretsChangeIsNotKept() {
        // the inventory's port answers, the secrets' port is closed: what the secrets say is what counts
        try (CatalogueOps api = open()) {
            OpsException e = assertThrows(OpsException.class, () -> api.releases(secretClosedEnv));
            assertEquals(web.name() + " cannot be reached, nothing was changed: " + web.name() + " (" + web.address() + ":"
                    + CLOSED_PORT + "): connection refused or no route; is sshd running and the port right?", e.getMessage());
        }
    }

    @Test
    void trustHostsFindsThePinnedKeysAndRecordsNothing() throws Exception {
        Path knownHosts = ops.resolve("environments").resolve(env).resolve("known_hosts");
        byte[] before = Files.readAllBytes(knownHosts);
        try (CatalogueOps api = open()) {
            TrustResult trust = api.trustHosts(env).call();
            assertEquals(List.of(web.name() + " " + HostKeyTrust.Outcome.ALREADY_TRUSTED),
                    trust.hosts().stream().map(h -> h.host() + " " + h.outcome()).toList());
        }
        assertArrayEquals(before, Files.readAllBytes(knownHosts), "known_hosts untouched");
    }

    @Test
    void trustHostsEndsOnAHostItCannotReach() {
        try (CatalogueOps api = open()) {
            RemoteException e = assertThrows(RemoteException.class, () -> api.trustHosts(closedEnv).call());
            assertTrue(e.getMessage().startsWith("closed (" + web.address() + ":" + CLOSED_PORT + "): cannot read its host key"),
                    e.getMessage());
        }
    }

    @Test
    void anUnknownHostInLimitIsRefusedBeforeAnyHostIsContacted() throws Exception {
        List<TaskResult> seen = Collections.synchronizedList(new ArrayList<>());
        try (CatalogueOps api = open()) {
            BadOptionException e = assertThrows(BadOptionException.class,
                    () -> api.provision(env).limit("nosuchhost").listener(seen::add).call());
            assertEquals("limit nosuchhost: no such host in " + env + "; hosts: " + web.name(), e.getMessage());
        }
        assertEquals(List.of(), seen, "no task ran");
    }

    @Test
    @Order(1)
    void provisionInCheckModeChangesNothing() throws Exception {
        List<TaskResult> seen = Collections.synchronizedList(new ArrayList<>());
        PlayRecap recap;
        try (CatalogueOps api = open()) {
            recap = api.provision(closedEnv).check(true).limit(web.name()).tags("nginx").listener(seen::add).call();
        }
        assertEquals(Set.of(web.name()), recap.hosts().keySet(), "only the host of limit; the closed one is not contacted");
        assertTrue(recap.hosts().get(web.name()).changed() > 0 && recap.succeeded(), recap.toString());
        assertEquals(recap.results().size(), seen.size(), "the listener heard every task");
        assertFalse(Files.exists(web.root().resolve("etc/nginx/sites-enabled/catalogage.conf")), "check mode wrote nothing");
    }

    @Test
    @Order(2)
    void provisionChangesWhatCheckModeSaid() throws Exception {
        PlayRecap recap;
        try (CatalogueOps api = open()) {
            recap = api.provision(closedEnv).limit(web.name()).tags("nginx").call();
        }
        assertTrue(recap.succeeded() && recap.total(TaskStatus.CHANGED) > 0, recap.toString());
        assertTrue(Files.readString(web.root().resolve("etc/nginx/sites-enabled/catalogage.conf")).contains("upstream api"));
    }

    @Test
    @Order(3)
    void provisionAgainChangesNothing() throws Exception {
        PlayRecap recap;
        try (CatalogueOps api = open()) {
            recap = api.provision(closedEnv).limit(web.name()).tags("nginx").call();
        }
        PlayRecap.Counts counts = recap.hosts().get(web.name());
        assertEquals("changed=0 failed=0", "changed=" + counts.changed() + " failed=" + counts.failed(), recap.toString());
    }

    @Test
    void stagingMergeFastForwardsAndSyncListsWhatStagingLoses() throws Exception {
        GitFixture git = new GitFixture(Files.createDirectories(tmp.resolve("git")));
        Path work = git.clone("work");
        git.git(work, "checkout", "-q", "-b", "feature");
        git.commit(work, "f.txt", "f\n", "Add f");
        try (CatalogueOps api = open()) {
            StagingMergeReport merged = api.staging(work).merge().branch("feature").call();
            assertEquals(StagingMergeReport.Kind.FAST_FORWARD, merged.kind(), merged.toString());
            assertEquals(git.rev(work, "feature"), git.rev(work, "staging"));

            StagingSyncReport sync = api.staging(work).sync().call();
            assertEquals(List.of("Add f"), sync.lostCommits().stream().map(c -> c.subject()).toList(), sync.toString());
        }
    }

    private static EnvironmentView.VariableView variable(EnvironmentView view, String name) {
        return view.variables().get(web.name()).stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + view));
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void ssh(TestHosts hosts, String command) throws Exception {
        Process p = new ProcessBuilder(hosts.sshArgv(web, "root", command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, command + ":\n" + out);
    }
}
