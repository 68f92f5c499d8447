package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first deploy on a host the original playbook deployed (an in-place checkout in workdir, its
 * programs {@code server} and {@code client} in {@code supervisor.conf} on the blue ports, a
 * world-readable {@code .env}), under load: the new release starts on the other side, traffic
 * switches, the original's programs are retired and its checkout is kept aside until the next deploy.
 */
@Testbed(hosts = 2)
class TakeoverDeployTest {
    @TempDir
    static Path tmp;

    static String ok(SshRemote remote, String script) throws Exception {
        ExecResult r = remote.exec(Command.of("sh", "-c", script).withTimeout(Duration.ofMinutes(10)));
        assertEquals(0, r.exitCode(), script + "\n" + r.stdout() + "\n" + r.stderr());
        return r.stdout();
    }

    @Test
    void takesOverAnOriginalDeployWithoutAFailedRequest(TestHosts hosts) throws Exception {
        DeployCommandTest.ops = tmp.resolve("ops/ansible");
        DeployCommandTest.env = hosts.name();
        TestHost web = hosts.host(0);
        // the repository where the original playbook clones from, on the host (and read from there by this machine)
        Path repo = web.root().resolve("srv/git/catalogue-app.git");
        Files.createDirectories(repo.getParent());
        DeployCommandTest.repo = repo;
        Process make = new ProcessBuilder("../examples/make-app-repo", repo.toString()).redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(), made);
        DatabaseHost.Database db = DatabaseHost.provision(hosts, hosts.host(1), List.of(web), "catalogue", "catalogue", "takeover-pw");
        DeployCommandTest.writeEnvironment(hosts, db);
        CliRun cli = new CliRun(tmp);
        cli.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        cli.run(DeployCommandTest.args("provision", hosts.name()));
        assertEquals(0, cli.exitCode, cli.toString());

        try (SshRemote remote = SshRemote.connect(ConnectionSettings.of(web.name(), "root", List.of(hosts.privateKey()),
                List.of(hosts.knownHosts())).withAddress(web.address(), TestHost.SSH_PORT))) {
            // what the original deploy tag does: in place, .env 0644, supervisor.conf with server and client
            ok(remote, "git clone -q /srv/git/catalogue-app.git /root/catalogage && cd /root/catalogage && git checkout -q v1"
                    + " && python3 -m venv --system-site-packages venv && venv/bin/pip install -q --no-index -r requirements.txt");
            remote.upload(("APP_SECRET_KEY='original-secret'\nAPP_DATABASE_URL='" + db.url() + "'\nAPP_PORT=3579\n"
                    + "VITE_API_SSR_URL=\"http://localhost:3579\"\n").getBytes(StandardCharsets.UTF_8), "/root/catalogage/.env", "0644",
                    "root:root", null);
            ok(remote, "cd /root/catalogage && (cd client && npm ci -q --no-audit --no-fund) && make build && make migrate 2>&1");
            remote.upload(("[program:client]\ndirectory=/root/catalogage/client\ncommand=node ./build\nautostart=true\nautorestart=true\n"
                    + "environment=HOST=\"127.0.0.1\",PORT=\"3000\"\n\n[program:server]\ndirectory=/root/catalogage\n"
                    + "command=/root/catalogage/venv/bin/python -m server.main\nautostart=true\nautorestart=true\n")
                    .getBytes(StandardCharsets.UTF_8), "/etc/supervisor/conf.d/supervisor.conf", "0644", "root:root", null);
            ok(remote, "supervisorctl reread && supervisorctl update && for i in $(seq 1 100); do"
                    + " curl -sf -o /dev/null http://127.0.0.1/ && exit 0; sleep 0.1; done; exit 1");
        }
        String v1 = DeployCommandTest.git("rev-parse", "v1^{commit}");
        assertTrue(DeployCommandTest.page(web).contains("api " + v1), "the original deploy serves v1");

        try (DeployCommandTest.Load load = new DeployCommandTest.Load(web)) {
            cli.run(DeployCommandTest.args("deploy", hosts.name(), "--git-version", "v2"));
            load.assertNoneFailed("the takeover", cli.out);
            assertEquals(0, cli.exitCode, cli.toString());
        }
        assertTrue(cli.out.contains("retire the original"), cli.out);
        assertTrue(DeployCommandTest.page(web).contains("api " + DeployCommandTest.git("rev-parse", "v2^{commit}")));
        assertFalse(Files.exists(web.root().resolve("etc/supervisor/conf.d/supervisor.conf")));
        Path aside = web.root().resolve("root/catalogage/.original-checkout");
        assertTrue(Files.isDirectory(aside.resolve("venv")) && Files.isDirectory(aside.resolve(".git")), "kept aside");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(aside.resolve(".env"))));

        // a branch, then the checkout kept aside is removed by this next successful deploy
        cli.run(DeployCommandTest.args("deploy", hosts.name(), "--git-version", "feature/tag-count"));
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(DeployCommandTest.page(web).contains("mot(s)-clé(s)"), "the branch serves");
        assertFalse(Files.exists(aside), "removed by the next deploy");
    }
}
