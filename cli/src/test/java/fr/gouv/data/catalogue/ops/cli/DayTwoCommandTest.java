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
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code initdata} and {@code run} on the example app deployed to a web test host, PostgreSQL on a
 * database test host: an encrypted initdata_src loaded twice creates everything once, leaves no
 * plain copy and shows no password in the output or on any command line; dedupe-tags merges
 * planted duplicates; an unknown tool lists the known ones; a tool's exit code is passed on and its
 * output masked; a held lock refuses both.
 */
@Testbed(hosts = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DayTwoCommandTest {
    static final String ADMIN_PASSWORD = "initdata-admin-pw-4242";
    static final String SECRET_KEY = "daytwo-test-secret-key-0123456789";
    static final String INITDATA = """
            organizations:
              - params: {name: "Organisation de test", siret: "11111111111111"}
            catalogs:
              - params: {organization_siret: "11111111111111"}
            users:
              - id: "0b8c6a52-5d0e-4c49-9d55-6c1f4b1b2a01"
                params: {organization_siret: "11111111111111", email: admin@daytwo.test, password: __env__}
                extras: {role: ADMIN}
            tags:
              - id: "00000000-0000-4000-8000-000000000001"
                params: {name: "Santé"}
            formats: [csv]
            datasets:
              - id: "0a9d3c2e-5b1f-4e8a-9c7d-2f6b1e0a3d54"
                params:
                  organization_siret: "11111111111111"
                  title: "Hôpitaux et lits"
                  description: "Nombre de lits"
                  tag_ids: ["00000000-0000-4000-8000-000000000001"]
            """;
    @TempDir
    static Path tmp;
    static Path ops;
    static String env;
    static CliRun cli;

    static String[] args(String... more) {
        return CliRun.concat(new String[] {"--ops-dir", ops.toString()}, more);
    }

    /** A query on the database host, as postgres; the answer's rows, one per line. */
    static String sql(TestHosts hosts, String query) throws Exception {
        TestHost db = hosts.host(1);
        try (SshRemote r = SshRemote.connect(ConnectionSettings.of(db.name(), "root", List.of(hosts.privateKey()),
                List.of(hosts.knownHosts())).withAddress(db.address(), TestHost.SSH_PORT))) {
            ExecResult res = r.exec(Command.of("psql", "-d", "catalogue", "-v", "ON_ERROR_STOP=1", "-tAc", query).become("postgres"));
            assertEquals(0, res.exitCode(), res.stderr());
            return res.stdout().strip();
        }
    }

    /** Rows of organizations (the migration's default one and ours), catalogs, users, tags, formats, datasets, dataset_tag. */
    static final String COUNTS = "2|1|1|1|1|1|1";

    static String counts(TestHosts hosts) throws Exception {
        return sql(hosts, "select concat_ws('|', (select count(*) from organizations), (select count(*) from catalogs),"
                + " (select count(*) from users), (select count(*) from tags), (select count(*) from formats),"
                + " (select count(*) from datasets), (select count(*) from dataset_tag))");
    }

    static Path release(TestHosts hosts) throws Exception {
        return hosts.host(0).root().resolve("root/catalogage/current").toRealPath();
    }

    /** Files under the web host's root whose content holds {@code text} (the release, /tmp and the login's home). */
    static List<Path> filesHolding(TestHosts hosts, String text) throws Exception {
        List<Path> found = new ArrayList<>();
        for (String dir : List.of("root", "tmp", "var/tmp")) {
            try (Stream<Path> walk = Files.walk(hosts.host(0).root().resolve(dir))) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    if (Files.size(p) < 1_000_000 && Files.readString(p, StandardCharsets.ISO_8859_1).contains(text)) {
                        found.add(p);
                    }
                }
            } catch (java.io.UncheckedIOException gone) {
                // a file removed while walking
            }
        }
        return found;
    }

    @Test
    @Order(1)
    void anEncryptedInitdataLoadsTwiceWithoutDuplicatesAndLeavesNoPlainCopyNorPassword(TestHosts hosts) throws Exception {
        ops = tmp.resolve("ops/ansible");
        env = hosts.name();
        Path repo = tmp.resolve("catalogue-app.git");
        Process make = new ProcessBuilder("../examples/make-app-repo", repo.toString()).redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(), made);
        TestHost web = hosts.host(0);
        DatabaseHost.Database db = DatabaseHost.provision(hosts, hosts.host(1), List.of(web), "catalogue", "catalogue",
                DatabaseHost.HOSTILE_PASSWORD);
        Path vaultPassword = TestbedEnvironment.ensureVaultPassword(ops);
        Path dir = ops.resolve("environments").resolve(env);
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(dir.resolve("assets"));
        Files.createDirectories(ops.resolve("group_vars"));
        Files.writeString(ops.resolve("group_vars/web.yml"), "workdir: \"{{ ansible_env.HOME }}/catalogage\"\n"
                + "git_repo: \"" + repo + "\"\napi_port: 3579\nclient_port: 3000\ndomain_name: \"{{ inventory_hostname }}\"\n");
        Files.writeString(dir.resolve("hosts"), "[web]\n" + web.name() + " ansible_host=" + web.address() + " ansible_user=root\n\n"
                + "[db]\n" + hosts.host(1).name() + " ansible_host=" + hosts.host(1).address() + " ansible_user=root\n\n"
                + "[all:vars]\nansible_ssh_private_key_file=" + hosts.privateKey() + "\n");
        Files.copy(hosts.knownHosts(), dir.resolve("known_hosts"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "tls_enabled: false\npython_runtime: system\nnode_runtime: system\n"
                + "client_url: \"http://{{ domain_name }}\"\ndatapass_url: \"http://datapass.invalid\"\n"
                + "system_packages: " + DeployCommandTest.PACKAGES + "\nvenv_system_site_packages: true\npip_no_index: true\n"
                + "initdata_src: \"{{ inventory_dir }}/assets/initdata.yml\"\n"
                + "tools:\n  exit-3: [venv/bin/python, -c, \"import sys; print('about to fail'); sys.exit(3)\"]\n"
                + "  show-secret: [sh, -c, \"grep ^APP_SECRET_KEY= .env\"]\n");
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, vaultPassword);
        Vault vault = new Vault(List.of(secret));
        String secrets = "secret_key: '" + SECRET_KEY + "'\ndatabase_url: '" + db.url() + "'\n"
                + "datapass_client_id: 'dp-id'\ndatapass_client_secret: 'dp-client-secret-value'\n"
                + "passwords: '{\"admin@daytwo.test\": \"" + ADMIN_PASSWORD + "\"}'\n";
        Files.write(dir.resolve("secrets"), vault.encrypt(secrets.getBytes(StandardCharsets.UTF_8), secret));
        Files.write(dir.resolve("assets/initdata.yml"), vault.encrypt(INITDATA.getBytes(StandardCharsets.UTF_8), secret));
        cli = new CliRun(tmp);
        cli.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());

        cli.run(args("provision", env));
        assertEquals(0, cli.exitCode, cli.toString());
        cli.run(args("initdata", env));
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals("catalogue-ops: " + web.name() + ": no live release in /root/catalogage; deploy first: catalogue-ops deploy "
                + env, cli.oneLineError());
        assertFalse(Files.exists(web.root().resolve("root/catalogage")), "refused before the lock: nothing made on the host");
        cli.run(args("deploy", env, "--git-version", "v2"));
        assertEquals(0, cli.exitCode, cli.toString());

        try (DeployCommandTest.CommandLines ps = new DeployCommandTest.CommandLines()) {
            cli.run(args("initdata", env));
            ps.close();
            System.out.println("initdata, first run:\n" + cli.out);
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.contains("created user admin@daytwo.test") && cli.out.contains("initdata: 6 created")
                    && cli.out.contains("done   initdata on " + web.name()), cli.out);
            assertTrue(ps.seen.stream().anyMatch(c -> c.contains("tools.initdata")), "the watcher saw the tool run: " + ps.seen.size());
            for (String s : List.of(ADMIN_PASSWORD, SECRET_KEY, "dp-client-secret-value", "p%40ss")) {
                assertFalse(ps.seen.stream().anyMatch(c -> c.contains(s)), "a command line shows " + s);
                assertFalse(cli.out.contains(s) || cli.err.contains(s), cli.toString());
            }
        }
        assertEquals(COUNTS, counts(hosts));
        assertTrue(sql(hosts, "select password_hash from users").startsWith("pbkdf2_sha256$"));
        Path runDir = release(hosts).resolve("ops/run");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir)));
        assertEquals(List.of(), filesHolding(hosts, "Organisation de test"), "no plain copy of the initial data on the host");

        cli.run(args("initdata", env));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("initdata: 0 created"), cli.out);
        assertEquals(COUNTS, counts(hosts), "nothing twice");

        cli.run(args("history", env));
        assertTrue(cli.out.contains("initdata") && cli.out.contains("done"), cli.out);
    }

    @Test
    @Order(2)
    void aFailingInitdataExitsOneAndStillRemovesItsPlainCopy(TestHosts hosts) throws Exception {
        Files.writeString(tmp.resolve("unknown-user.yml"), "organizations:\n  - params: {name: \"Sans mot de passe\", siret:"
                + " \"22222222222222\"}\nusers:\n  - params: {organization_siret: \"22222222222222\", email: nobody@daytwo.test,"
                + " password: __env__}\n");
        cli.run(args("initdata", env, "--file", tmp.resolve("unknown-user.yml").toString()));
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.err.contains("no password for nobody@daytwo.test"), cli.toString());
        assertTrue(cli.out.contains("FAILED initdata on " + hosts.host(0).name()), cli.out);
        assertEquals(List.of(), filesHolding(hosts, "Sans mot de passe"), "no plain copy after a failure either");
        assertEquals("0", sql(hosts, "select count(*) from organizations where siret = '22222222222222'"), "one transaction");
    }

    @Test
    @Order(3)
    void dedupeTagsMergesPlantedDuplicates(TestHosts hosts) throws Exception {
        sql(hosts, "insert into tags (id, name) values ('00000000-0000-4000-8000-000000000002', 'santé '),"
                + " ('00000000-0000-4000-8000-000000000003', 'Santé'), ('00000000-0000-4000-8000-000000000004', 'Transports')");
        sql(hosts, "insert into dataset_tag (dataset_id, tag_id) values ('0a9d3c2e-5b1f-4e8a-9c7d-2f6b1e0a3d54',"
                + " '00000000-0000-4000-8000-000000000003')");
        cli.run(args("run", env, "--list"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("dedupe-tags") && cli.out.contains("venv/bin/python -m tools.remove_duplicated_tags  (built in)")
                && cli.out.contains("exit-3") && cli.out.contains("show-secret"), cli.out);

        cli.run(args("run", env, "dedupe-tags"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("remove_duplicated_tags: 2 removed"), cli.out);
        assertEquals("00000000-0000-4000-8000-000000000001|Santé\n00000000-0000-4000-8000-000000000004|Transports",
                sql(hosts, "select id || '|' || name from tags order by id"));
        assertEquals("00000000-0000-4000-8000-000000000001", sql(hosts, "select tag_id from dataset_tag"));
        cli.run(args("run", env, "dedupe-tags"));
        assertTrue(cli.out.contains("remove_duplicated_tags: 0 removed"), cli.out);
    }

    @Test
    @Order(4)
    void anUnknownToolIsNamedAndAToolsExitCodeIsPassedOn(TestHosts hosts) throws Exception {
        cli.run(args("run", env, "nosuch"));
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals("catalogue-ops: " + env + ": no tool named nosuch; tools: dedupe-tags, exit-3, show-secret (more are declared"
                + " in the variable tools)", cli.oneLineError());

        cli.run(args("run", env, "exit-3"));
        assertEquals(3, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("about to fail") && cli.out.contains("FAILED exit-3 on " + hosts.host(0).name()), cli.out);

        try (CatalogueOps api = CatalogueOps.open(ops)) {
            List<String> lines = new ArrayList<>();
            ToolRunReport r = api.run(env, "exit-3").arguments(List.of("ignored")).output((h, err, l) -> lines.add(l)).call();
            assertEquals(3, r.exitCode());
            assertEquals(List.of("about to fail"), lines);
            assertEquals("exit-3", r.tool());
        }
    }

    @Test
    @Order(5)
    void aToolsOutputIsMasked(TestHosts hosts) throws Exception {
        cli.run(args("run", env, "show-secret"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("APP_SECRET_KEY='********'"), cli.out);
        assertFalse(cli.out.contains(SECRET_KEY), cli.out);
    }

    @Test
    @Order(6)
    void aHeldLockRefusesInitdataAndToolsAndShowsTheHolder(TestHosts hosts) throws Exception {
        Path lock = hosts.host(0).root().resolve("root/catalogage/.deploy-lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("lock.json"), "{\"user\":\"alice\",\"from\":\"laptop\",\"pid\":4242,\"since\":"
                + "\"2026-12-01T10:00:00Z\",\"operation\":\"deploy\",\"version\":\"v2\",\"token\":\"t\"}\n");
        Files.writeString(lock.resolve("heartbeat"), "");
        try {
            cli.run(args("initdata", env));
            assertEquals(1, cli.exitCode, cli.toString());
            assertTrue(cli.oneLineError().contains("the deploy lock of " + env + " is held by alice from laptop (pid 4242)"), cli.err);
            cli.run(args("run", env, "dedupe-tags"));
            assertEquals(1, cli.exitCode, cli.toString());
            assertTrue(cli.oneLineError().contains("is held by alice from laptop (pid 4242)"), cli.err);
            assertFalse(cli.out.contains("remove_duplicated_tags"), "the tool did not run: " + cli.out);
        } finally {
            cli.run(args("lock", "release", env));
        }
    }
}
