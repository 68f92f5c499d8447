package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.TestbedExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code testbed up/list/down}, {@code ping} and {@code hosts trust} on real test hosts, and the
 * inventory {@code testbed up} writes driven by Ansible itself.
 */
class TestbedCommandTest {
    @TempDir
    Path tmp;

    @Test
    void upPingTrustAnsibleAndDown() throws Exception {
        TestbedExtension.requireRoot();
        String name = TestHosts.newName();
        Path ops = tmp.resolve("repo/ops/ansible");
        String opsDir = ops.toString();
        CliRun cli = new CliRun(tmp);
        boolean downDone = false;
        try {
            cli.run("--ops-dir", opsDir, "testbed", "up", "--hosts", "2", "--name", name);
            assertEquals(0, cli.exitCode, cli.toString());
            Path env = ops.resolve("environments").resolve(name);
            assertTrue(Files.isRegularFile(ops.resolve("vault-password")), "the ops folder got a vault password");
            assertTrue(Files.readString(env.resolve("secrets")).startsWith("$ANSIBLE_VAULT;1.1;AES256\n"));
            assertTrue(cli.out.contains("environment " + name + ": " + env), cli.out);

            assertTrue(cli.run("testbed", "list").out.contains(name), cli.out);

            cli.run("--ops-dir", opsDir, "ping", name);
            assertEquals(0, cli.exitCode, cli.toString());
            List<String> lines = cli.out.strip().lines().toList();
            assertEquals(2, lines.size(), cli.out);
            assertTrue(lines.get(0).matches(name + "-1: pong \\(\\d+ ms\\)"), lines.get(0));
            assertTrue(lines.get(1).matches(name + "-2: pong \\(\\d+ ms\\)"), lines.get(1));

            String ansible = ansiblePing(env.resolve("hosts"));
            assertTrue(ansible.contains(name + "-1 | SUCCESS") && ansible.contains(name + "-2 | SUCCESS")
                    && ansible.contains("\"ping\": \"pong\""), "ansible drives the same hosts:\n" + ansible);

            unknownThenTrustedThenChanged(cli, opsDir, name, env);
            refusedAndTimeout(cli, opsDir, name, env);

            cli.run("--ops-dir", opsDir, "testbed", "down", name);
            downDone = true;
            assertEquals(0, cli.exitCode, cli.toString());
            assertFalse(Files.exists(env), "the environment folder testbed up wrote is gone");
            assertEquals(List.of(), TestHosts.leftovers(name));
            assertFalse(cli.run("testbed", "list").out.contains(name), cli.out);
        } finally {
            if (!downDone) {
                TestHosts.destroy(name);
            }
        }
    }

    private static void unknownThenTrustedThenChanged(CliRun cli, String opsDir, String name, Path env) throws Exception {
        Path known = env.resolve("known_hosts");
        String pinned = Files.readString(known);
        Files.delete(known);
        cli.run("--ops-dir", opsDir, "ping", name);
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains(name + "-1: FAILED (host key unknown) at " + TestHosts.attach(name).host(0).address()
                + ":22: unknown host key ssh-ed25519 SHA256:"), cli.out);
        assertTrue(cli.out.contains("trust it with: catalogue-ops hosts trust " + name + "\n"), cli.out);

        cli.run("--ops-dir", opsDir, "hosts", "trust", name);
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains(name + "-1: trusting ssh-ed25519 SHA256:"), cli.out);
        assertTrue(cli.out.contains("recorded 2 key(s) in " + known), cli.out);
        assertEquals(0, cli.run("--ops-dir", opsDir, "ping", name).exitCode, cli.toString());
        cli.run("--ops-dir", opsDir, "hosts", "trust", name);
        assertTrue(cli.out.contains(name + "-2: already trusted ssh-ed25519 SHA256:"), cli.out);

        // host 1's address now answers with host 2's key: a man in the middle, for all we know
        TestHosts hosts = TestHosts.attach(name);
        String forged = hosts.host(0).address() + " " + hosts.host(1).hostKey() + "\n"
                + hosts.host(1).address() + " " + hosts.host(1).hostKey() + "\n";
        Files.writeString(known, forged);
        cli.run("--ops-dir", opsDir, "ping", name);
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains(name + "-1: FAILED (host key changed)") && cli.out.contains(name + "-2: pong"), cli.out);
        cli.run("--ops-dir", opsDir, "hosts", "trust", name);
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains(name + "-1: KEY CHANGED"), cli.out);
        assertEquals(forged, Files.readString(known), "a changed key is never replaced");
        Files.writeString(known, pinned);
    }

    private static void refusedAndTimeout(CliRun cli, String opsDir, String name, Path env) throws Exception {
        TestHosts hosts = TestHosts.attach(name);
        TestHost second = hosts.host(1);
        Path faults = env.resolveSibling(name + "-faults");
        Files.createDirectories(faults);
        Files.copy(env.resolve("known_hosts"), faults.resolve("known_hosts"));
        Files.copy(env.resolve("secrets"), faults.resolve("secrets"));
        String inventory = Files.readString(env.resolve("hosts"))
                .replace(" ansible_host=" + hosts.host(0).address(), " ansible_host=" + hosts.host(0).address() + " ansible_port=2222");
        Files.writeString(faults.resolve("hosts"), inventory);
        hosts.partition(second);
        try {
            cli.run("--ops-dir", opsDir, "ping", "--timeout", "3", name + "-faults");
        } finally {
            hosts.heal(second);
        }
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains(name + "-1: FAILED (refused)"), cli.out);
        assertTrue(cli.out.contains(name + "-2: FAILED (timeout)") && cli.out.contains("no answer within 3 s"), cli.out);
        cli.run("--ops-dir", opsDir, "env", "decommission", name + "-faults", "--yes");
        assertEquals(0, cli.exitCode, cli.toString());
    }

    private static String ansiblePing(Path inventory) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ansible", "-i", inventory.toString(), "web", "-m", "ping")
                .redirectErrorStream(true);
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void badRequestsChangeNothing() throws Exception {
        CliRun cli = new CliRun(tmp);
        Path ops = tmp.resolve("ops/ansible");
        cli.run("--ops-dir", ops.toString(), "testbed", "up", "--hosts", "0");
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals("a testbed has 1 to 40 hosts, not 0; use --hosts 1 to 40", cli.oneLineError().replaceFirst("^[^:]*: ", ""));
        cli.run("--ops-dir", ops.toString(), "testbed", "up", "--name", "../etc");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("invalid testbed name '../etc'"), cli.err);
        assertFalse(Files.exists(ops), "nothing was created");
        cli.run("testbed", "down", "nosuchtestbed");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("no testbed 'nosuchtestbed' on this machine"), cli.err);
        cli.run("--ops-dir", ops.toString(), "ping", "--timeout", "0", "prod");
        assertEquals(2, cli.exitCode, cli.toString());
    }

    @Test
    void upForAnEnvironmentMakesItsHostsAndItsDatabaseServer() throws Exception {
        TestbedExtension.requireRoot();
        // the example environment 'rehearsal', renamed and moved to a subnet of its own so that runs never collide
        String name = TestHosts.newName();
        int third = 202 + new java.util.Random().nextInt(48);
        Path ops = tmp.resolve("ops/ansible");
        copyTree(Path.of("../examples/ops/ansible").toAbsolutePath().normalize(), ops);
        Path env = ops.resolve("environments").resolve(name);
        Files.move(ops.resolve("environments/rehearsal"), env);
        Files.writeString(env.resolve("hosts"), Files.readString(env.resolve("hosts"))
                .replace("rehearsal", name).replace("10.213.201.", "10.213." + third + "."));
        String url = "postgresql://catalogue:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%26%2B%3D%27%22%C3%A9%20%24@10.213." + third
                + ".12:5432/catalogue";
        CliRun cli = new CliRun(tmp);
        String[] common = {"--ops-dir", ops.toString(), "-e", "database_url=" + url};
        try {
            cli.run(CliRun.concat(common, "testbed", "up", "--for", name));
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.contains(name + "-2  10.213." + third + ".12  PostgreSQL, open to " + name + "-1"), cli.out);
            assertTrue(Files.isRegularFile(env.resolve("known_hosts")));
            cli.run(CliRun.concat(common, "ping", name));
            assertEquals(0, cli.exitCode, cli.toString());
            assertTrue(cli.out.startsWith(name + "-1: pong"), cli.out);

            // the database answers the web host, and only it: this machine is refused by pg_hba
            TestHosts hosts = TestHosts.attach(name);
            Files.writeString(hosts.host(0).root().resolve("root/db-url"), url + "\n");
            String fromWeb = ClientSsh.run(hosts, hosts.host(0), "apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends postgresql-client"
                    + " >/dev/null 2>&1 && psql \"$(cat /root/db-url)\" -tAc 'select current_user'");
            assertEquals("catalogue", fromWeb.strip());
            ProcessBuilder psql = new ProcessBuilder("psql", url, "-tAc", "select 1").redirectErrorStream(true);
            Process p = psql.start();
            String refused = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(refused.contains("no pg_hba.conf entry for host \"10.213." + third + ".1\""), refused);

            cli.run(CliRun.concat(common, "testbed", "up", "--for", name));
            assertEquals(2, cli.exitCode, "a second up is refused: " + cli);
        } finally {
            cli.run("--ops-dir", ops.toString(), "testbed", "down", name);
        }
        assertEquals(0, cli.exitCode, cli.toString());
        assertFalse(Files.exists(env.resolve("known_hosts")), "down removes the keys it pinned");
        assertTrue(Files.exists(env.resolve("hosts")), "and leaves the environment itself alone");
        assertEquals(List.of(), TestHosts.leftovers(name));
    }

    @Test
    void upForRefusesAnInventoryOutsideTheTestbedsScheme() throws Exception {
        CliRun cli = new CliRun(tmp);
        Path ops = Path.of("../examples/ops/ansible").toAbsolutePath().normalize();
        cli.run("--ops-dir", ops.toString(), "testbed", "up", "--for", "demo");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("host web.catalogue.test should be named demo-1"), cli.err);
        cli.run("--ops-dir", ops.toString(), "testbed", "up", "--for", "rehearsal", "--hosts", "3");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("drop --name and --hosts"), cli.err);
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Runs a command on a test host with the system's ssh client, as root. */
    static final class ClientSsh {
        static String run(TestHosts hosts, TestHost host, String command) throws Exception {
            Process p = new ProcessBuilder(hosts.sshArgv(host, "root", command)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            return out;
        }
    }
}
