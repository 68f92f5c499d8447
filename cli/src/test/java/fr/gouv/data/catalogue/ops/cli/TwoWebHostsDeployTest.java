package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import fr.gouv.data.catalogue.ops.report.HostDeploy;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two web hosts and a database host, through the Java API: migrations run once for the fleet, and
 * a host that cannot prepare (a port of its idle side held by something else) means no host switches.
 * The second host is reached as a user who is not root (sudo for supervisor and nginx): the app runs
 * as that user, in its home.
 */
@Testbed(hosts = 3)
class TwoWebHostsDeployTest {
    @TempDir
    Path tmp;

    static SshRemote connect(TestHosts hosts, TestHost h) throws Exception {
        return SshRemote.connect(ConnectionSettings.of(h.name(), "root", List.of(hosts.privateKey()), List.of(hosts.knownHosts()))
                .withAddress(h.address(), TestHost.SSH_PORT));
    }

    /** The API's health answer through nginx: it names the version (503 once a refused deploy's migration ran ahead of it). */
    static String version(TestHost web) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + web.address() + "/api/health")).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() == 200 || r.statusCode() == 503, r.statusCode() + " " + r.body());
        return r.body();
    }

    @Test
    void migratesOnceAndSwitchesNoHostWhenOneCannotPrepare(TestHosts hosts) throws Exception {
        Path ops = tmp.resolve("ops/ansible");
        Path repo = tmp.resolve("catalogue-app.git");
        Process make = new ProcessBuilder("../examples/make-app-repo", repo.toString()).redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(), made);
        TestHost web1 = hosts.host(0);
        TestHost web2 = hosts.host(1);
        TestHost db = hosts.host(2);
        DatabaseHost.Database database = DatabaseHost.provision(hosts, db, List.of(web1, web2), "catalogue", "catalogue", "pw-two-hosts");
        String env = hosts.name();
        Path dir = ops.resolve("environments").resolve(env);
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(ops.resolve("group_vars"));
        Files.writeString(ops.resolve("group_vars/web.yml"), "workdir: \"{{ ansible_env.HOME }}/catalogage\"\n"
                + "git_repo: \"" + repo + "\"\napi_port: 3579\nclient_port: 3000\ndomain_name: \"{{ inventory_hostname }}\"\n");
        Files.writeString(dir.resolve("hosts"), "[web]\n" + web1.name() + " ansible_host=" + web1.address() + " ansible_user=root\n"
                + web2.name() + " ansible_host=" + web2.address() + " ansible_user=deploy ansible_become=true\n\n[db]\n" + db.name() + " ansible_host="
                + db.address() + " ansible_user=root\n\n[all:vars]\nansible_ssh_private_key_file=" + hosts.privateKey() + "\n");
        Files.copy(hosts.knownHosts(), dir.resolve("known_hosts"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "python_runtime: system\nnode_runtime: system\n"
                + "client_url: \"http://{{ domain_name }}\"\ndatapass_url: \"http://datapass.invalid\"\n"
                + "system_packages: " + DeployCommandTest.PACKAGES + "\nvenv_system_site_packages: true\npip_no_index: true\n");
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, TestbedEnvironment.ensureVaultPassword(ops));
        Files.write(dir.resolve("secrets"), new Vault(List.of(secret)).encrypt(("secret_key: 'two-hosts-secret'\ndatabase_url: '"
                + database.url() + "'\ndatapass_client_id: 'x'\ndatapass_client_secret: 'y'\n").getBytes(StandardCharsets.UTF_8), secret));

        try (CatalogueOps api = CatalogueOps.open(ops)) {
            assertTrue(api.provision(env).call().succeeded());
            DeployReport v1 = api.deploy(env).gitVersion("v1").call();
            assertTrue(v1.succeeded(), v1.toString());
            assertEquals(1, v1.hosts().stream().flatMap(h -> h.steps().stream()).filter(s -> s.step().equals("migrate")).count(),
                    "migrations once for the fleet: " + v1);
            String v1Commit = v1.commit();
            assertTrue(version(web1).contains(v1Commit) && version(web2).contains(v1Commit));

            // the second host's idle side (blue, after a first deploy to green) has its client port taken
            try (SshRemote second = connect(hosts, web2)) {
                ExecResult held = second.exec(Command.of("sh", "-c", "setsid nohup python3 -m http.server 3000 --bind 127.0.0.1"
                        + " >/dev/null 2>&1 </dev/null & for i in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:3000/ && exit 0;"
                        + " sleep 0.1; done; exit 1"));
                assertEquals(0, held.exitCode(), held.stderr());
                DeployReport refused = api.deploy(env).gitVersion("v2").call();
                assertFalse(refused.succeeded(), refused.toString());
                HostDeploy h2 = refused.hosts().get(1);
                assertTrue(h2.message().contains("port 3000 of the blue side is held by something else"), h2.toString());
                assertFalse(refused.hosts().stream().flatMap(h -> h.steps().stream()).anyMatch(s -> s.step().equals("switch")),
                        "no host switched: " + refused);
                assertTrue(version(web1).contains(v1Commit) && version(web2).contains(v1Commit), "both still serve v1");
                second.exec(Command.of("sh", "-c", "pkill -f '[h]ttp.server 3000'; exit 0"));
            }
            DeployReport v2 = api.deploy(env).gitVersion("v2").serial(1).call();
            assertTrue(v2.succeeded(), v2.toString());
            assertTrue(version(web1).contains(v2.commit()) && version(web2).contains(v2.commit()));
            Path env2 = web2.root().resolve("home/deploy/catalogage/current/.env");
            assertEquals(java.nio.file.Files.getAttribute(web2.root().resolve("home/deploy"), "unix:uid"),
                    java.nio.file.Files.getAttribute(env2, "unix:uid"), ".env belongs to the login user, the app's user by default");
            assertTrue(Files.readString(web2.root().resolve("etc/supervisor/conf.d/catalogue-blue.conf")).contains("user=deploy"));
        }
    }
}
