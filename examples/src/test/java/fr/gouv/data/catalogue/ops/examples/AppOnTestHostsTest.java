package fr.gouv.data.catalogue.ops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example app started by hand on a web test host, behind nginx, with PostgreSQL on a database
 * test host, as examples/catalogue-app/README.md tells; then each tagged version and the staging
 * branch, checked for what it is meant to do.
 */
@Testbed(hosts = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppOnTestHostsTest {
    static final String APP = "/srv/catalogue-app";
    static final String WEB_PACKAGES = "python3-starlette python3-uvicorn python3-sqlalchemy python3-alembic"
            + " python3-psycopg2 python3-yaml python3-venv python3-pip git make nodejs npm nginx curl";
    static DatabaseHost.Database database;
    static DatabaseHost.Database testDatabase;

    static SshRemote web(TestHosts hosts) throws Exception {
        TestHost h = hosts.host(0);
        return SshRemote.connect(ConnectionSettings.of(h.name(), "root", List.of(hosts.privateKey()),
                List.of(hosts.knownHosts())).withAddress(h.address(), TestHost.SSH_PORT));
    }

    static ExecResult sh(SshRemote remote, String script, int seconds) throws Exception {
        return remote.exec(Command.of("sh", "-c", script).withTimeout(Duration.ofSeconds(seconds)));
    }

    static String ok(SshRemote remote, String script, int seconds) throws Exception {
        ExecResult r = sh(remote, script, seconds);
        assertEquals(0, r.exitCode(), script + "\nstdout:\n" + r.stdout() + "\nstderr:\n" + r.stderr());
        return r.stdout();
    }

    @Test
    @Order(1)
    void startedByHandBehindNginxShowsDataFromPostgresql(TestHosts hosts) throws Exception {
        TestHost webHost = hosts.host(0);
        TestHost dbHost = hosts.host(1);
        List<DatabaseHost.Database> databases = DatabaseHost.provision(hosts, dbHost, List.of(webHost),
                List.of("catalogue", "catalogue_test"), "catalogue", DatabaseHost.HOSTILE_PASSWORD);
        database = databases.get(0);
        testDatabase = databases.get(1);
        assertTrue(database.url().startsWith("postgresql://catalogue:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%26%2B%3D%27%22%C3%A9%20%24@"
                + dbHost.address() + ":5432/catalogue"), database.url());

        Path repo = webHost.root().resolve("srv/git/catalogue-app.git");
        Files.createDirectories(repo.getParent());
        ClientBuildTest.run(Path.of(".").toAbsolutePath(), List.of("./make-app-repo", repo.toString()));

        try (SshRemote web = web(hosts)) {
            ok(web, "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "
                    + WEB_PACKAGES, 900);
            ok(web, "git clone -q /srv/git/catalogue-app.git " + APP + " && cd " + APP + " && git checkout -q v1"
                    + " && python3 -m venv --system-site-packages venv && venv/bin/pip install -q --no-index -r requirements.txt", 300);
            web.upload(env(database).getBytes(StandardCharsets.UTF_8), APP + "/.env", "0600", "root:root", null);
            web.upload(("TEST_DATABASE_URL='" + testDatabase.url() + "'\n").getBytes(StandardCharsets.UTF_8),
                    "/root/test-database.env", "0600", "root:root", null);

            String tests = ok(web, "cd " + APP + " && set -a && . /root/test-database.env && set +a"
                    + " && venv/bin/python -m unittest discover -s tests -t . 2>&1", 300);
            assertTrue(tests.contains("Ran 8 tests") && tests.strip().endsWith("OK") && !tests.contains("skipped"), tests);
            String migrated = ok(web, "cd " + APP + " && make migrate 2>&1", 120);
            assertTrue(migrated.contains("Running upgrade  -> 0001"), migrated);
            Files.writeString(webHost.root().resolve("root/initdata.yml"), INITDATA);
            String loaded = ok(web, "cd " + APP + " && venv/bin/python -m tools.initdata --no-input /root/initdata.yml", 120);
            assertTrue(loaded.contains("initdata: 4 created"), "the default organization comes from the migration:\n" + loaded);
            ok(web, "cd " + APP + "/client && npm ci --no-audit --no-fund -q && cd .. && make build", 300);
            web.upload(NGINX_SITE.getBytes(StandardCharsets.UTF_8), "/etc/nginx/sites-enabled/catalogue.conf", "0644", null, null);
            ok(web, "rm -f /etc/nginx/sites-enabled/default && nginx -t 2>&1 && (nginx -s reload 2>/dev/null || nginx)", 60);
            start(web, 30);

            String page = page(web);
            assertTrue(page.contains("<h1>Catalogue</h1>") && page.contains("<strong>Hôpitaux</strong> <span class=\"tag\">Santé</span>")
                    && page.contains("2 jeu(x) de données"), page);
            String v1 = ok(web, "git -C " + APP + " rev-parse v1^{commit}", 10).strip();
            assertTrue(page.contains("api " + v1 + " · migration 0001"), "version and migration head on the page:\n" + page);
            assertTrue(ok(web, "curl -sf http://localhost/api/health", 30).contains("\"status\":\"ok\""));
        }
    }

    @Test
    @Order(2)
    void v2AddsAMigrationAndChangesThePage(TestHosts hosts) throws Exception {
        try (SshRemote web = web(hosts)) {
            assertTrue(switchTo(web, "v2").contains("Running upgrade 0001 -> 0002"));
            start(web, 30);
            String page = page(web);
            assertTrue(page.contains("<h1>Catalogue des données</h1>") && page.contains("migration 0002"), page);
        }
    }

    @Test
    @Order(3)
    void v3sMigrationFailsAndLeavesTheDatabaseAsItWas(TestHosts hosts) throws Exception {
        try (SshRemote web = web(hosts)) {
            stop(web);
            ok(web, "git -C " + APP + " checkout -q v3-broken-migration", 30);
            ExecResult migrate = sh(web, "cd " + APP + " && make migrate 2>&1", 120);
            assertNotEquals(0, migrate.exitCode());
            assertTrue(migrate.stdout().contains("no_such_table"), migrate.stdout());
            startServerOnly(web);
            String health = ok(web, "curl -s http://127.0.0.1:3579/health", 30);
            assertTrue(health.contains("\"migration\":\"0002\"") && health.contains("code needs 0003"), health);
        }
    }

    @Test
    @Order(4)
    void v4StartsButFailsItsHealthCheck(TestHosts hosts) throws Exception {
        try (SshRemote web = web(hosts)) {
            switchTo(web, "v4-unhealthy");
            startServerOnly(web);
            assertEquals("500", ok(web, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3579/health", 30));
            assertEquals("200", ok(web, "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3579/datasets", 30),
                    "it does start and answer");
        }
    }

    @Test
    @Order(5)
    void v5TakesAboutFiveSecondsToAcceptConnections(TestHosts hosts) throws Exception {
        try (SshRemote web = web(hosts)) {
            switchTo(web, "v5-slow-start");
            ok(web, "cd " + APP + " && setsid nohup venv/bin/python -m server.main >/var/log/server.log 2>&1 </dev/null &", 30);
            long start = System.nanoTime();
            assertNotEquals("200", sh(web, "sleep 2; curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3579/health", 30)
                    .stdout(), "not yet after 2 s");
            ok(web, "for i in $(seq 1 150); do curl -sf -o /dev/null http://127.0.0.1:3579/health && exit 0; sleep 0.1; done; exit 1", 30);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 4500, "ready after " + millis + " ms");
        }
    }

    @Test
    @Order(6)
    void stagingBranchCarriesTheMergedFeature(TestHosts hosts) throws Exception {
        try (SshRemote web = web(hosts)) {
            switchTo(web, "staging");
            start(web, 30);
            String page = page(web);
            assertTrue(page.contains("mot(s)-clé(s)") && page.contains("Catalogue des données"), page);
            stop(web);
        }
    }

    /** The page through nginx; anything but a 200 fails with the body, the client's and the server's log. */
    static String page(SshRemote web) throws Exception {
        String out = ok(web, "curl -s -w '\\n%{http_code}' http://localhost/", 30);
        if (!out.endsWith("\n200")) {
            throw new AssertionError("the page answered " + out + "\nclient log:\n" + sh(web, "tail -20 /var/log/client.log", 10).stdout()
                    + "\nserver log:\n" + sh(web, "tail -20 /var/log/server.log", 10).stdout());
        }
        return out;
    }

    /** Stops both programs, checks out REF, migrates and builds; returns migrate's output. */
    static String switchTo(SshRemote web, String ref) throws Exception {
        stop(web);
        ok(web, "git -C " + APP + " checkout -q " + ref, 30);
        String migrate = ok(web, "cd " + APP + " && make migrate 2>&1", 120);
        ok(web, "cd " + APP + " && make build", 120);
        return migrate;
    }

    static void stop(SshRemote web) throws Exception {
        // [p] and [n]: the patterns must not match this shell's own command line
        ok(web, "pkill -f '[p]ython -m server.main'; pkill -f '[n]ode ./build';"
                + " for i in $(seq 1 50); do pgrep -f '[p]ython -m server.main|[n]ode ./build' >/dev/null || exit 0; sleep 0.1; done;"
                + " exit 1", 30);
    }

    static void startServerOnly(SshRemote web) throws Exception {
        ok(web, "cd " + APP + " && setsid nohup venv/bin/python -m server.main >/var/log/server.log 2>&1 </dev/null &"
                + " for i in $(seq 1 100); do curl -s -o /dev/null http://127.0.0.1:3579/ && exit 0; sleep 0.1; done;"
                + " cat /var/log/server.log; exit 1", 30);
    }

    static void start(SshRemote web, int seconds) throws Exception {
        startServerOnly(web);
        ok(web, "cd " + APP + "/client && HOST=127.0.0.1 PORT=3000 setsid nohup node ./build >/var/log/client.log 2>&1 </dev/null &"
                + " for i in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:3000/healthz && exit 0; sleep 0.1; done;"
                + " cat /var/log/client.log; exit 1", seconds);
    }

    static String env(DatabaseHost.Database db) {
        return "APP_SECRET_KEY='test-secret'\nAPP_SERVER_MODE=live\nAPP_DATABASE_URL='" + db.url() + "'\nAPP_PORT=3579\n"
                + "TOOLS_PASSWORDS='{\"admin@catalogue.test\": \"s3cret\"}'\n"
                + "VITE_API_SSR_URL=\"http://localhost:3579\"\n";
    }

    static final String INITDATA = """
            organizations:
              - params: {name: "Organisation par défaut", siret: "00000000000000"}
            users:
              - params: {organization_siret: "00000000000000", email: admin@catalogue.test, password: __env__}
                extras: {role: ADMIN}
            tags:
              - id: t-health
                params: {name: "Santé"}
            datasets:
              - id: d-budget
                params: {organization_siret: "00000000000000", title: "Budget 2024", description: "Dépenses"}
              - id: d-hospitals
                params: {organization_siret: "00000000000000", title: "Hôpitaux", description: "Lits", tag_ids: [t-health]}
            """;

    static final String NGINX_SITE = """
            upstream client { server 127.0.0.1:3000; }
            upstream api { server 127.0.0.1:3579; }
            server {
                listen 80 default_server;
                location / { proxy_pass http://client; proxy_set_header Host $host; }
                location /api/ { proxy_pass http://api/; proxy_set_header Host $host; }
            }
            """;
}
