package fr.gouv.data.catalogue.ops.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real test hosts, reached with the OpenSSH client and pinned host keys. */
@Testbed(hosts = 2)
class TestHostsTest {

    record Result(int code, String out) {
    }

    static Result ssh(TestHosts hosts, String user, TestHost host, String command, int timeoutSeconds) throws Exception {
        return ssh(hosts, user, host, command, timeoutSeconds, 5);
    }

    /** As {@link #ssh(TestHosts, String, TestHost, String, int)}, with ssh's own connect limit. */
    static Result ssh(TestHosts hosts, String user, TestHost host, String command, int timeoutSeconds, int connectSeconds)
            throws Exception {
        List<String> argv = hosts.sshArgv(host, user, command).stream()
                .map(a -> a.equals("ConnectTimeout=5") ? "ConnectTimeout=" + connectSeconds : a).toList();
        assertTrue(argv.contains("ConnectTimeout=" + connectSeconds), "sshArgv sets a connect limit: " + argv);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out.strip());
    }

    @Test
    void eachHostIsItsOwnDebianWithItsOwnNamespaces(TestHosts hosts) throws Exception {
        TestHost one = hosts.host(0);
        Result r = ssh(hosts, "root", one, "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; . /etc/os-release; echo $VERSION_CODENAME", 20);
        assertEquals(0, r.code(), r.out());
        List<String> lines = r.out().lines().toList();
        assertEquals(one.name(), lines.get(0));
        assertTrue(lines.get(1).contains("testbed-init"), "PID 1 is the host's own init: " + lines.get(1));
        assertEquals("bookworm", lines.get(2));
        assertNotEquals(one.hostKey(), hosts.host(1).hostKey(), "each host has its own host key");
    }

    @Test
    void usersAndPrivilegeEscalation(TestHosts hosts) throws Exception {
        TestHost h = hosts.host(0);
        assertEquals("0", ssh(hosts, "deploy", h, "sudo -n id -u", 20).out());
        Result refused = ssh(hosts, "asker", h, "sudo -n id -u", 20);
        assertNotEquals(0, refused.code());
        assertTrue(refused.out().contains("password is required"), refused.out());
        assertEquals("0", ssh(hosts, "asker", h, "echo " + RootImage.ASKER_PASSWORD + " | sudo -S -p '' id -u", 20).out());
    }

    @Test
    void packageMirrorsOnlyThroughTheProxy(TestHosts hosts) throws Exception {
        PackageMirrors mirrors = PackageMirrors.ofThisMachine();
        TestHost h = hosts.host(0);
        String release = mirrors.debianMirror() + "/dists/bookworm/Release";
        assertEquals("200", ssh(hosts, "root", h, "curl -s -o /dev/null -w '%{http_code}' " + release, 60).out());
        if (mirrors.npmRegistry() != null) {
            assertEquals("200", ssh(hosts, "root", h, "curl -s -o /dev/null -w '%{http_code}' "
                    + mirrors.npmRegistry() + "is-number", 60).out(), "TLS to npm works with this machine's CAs");
        }
        assertEquals("403", ssh(hosts, "root", h, "curl -s -o /dev/null -w '%{http_code}' http://example.invalid/", 60).out(),
                "anything else is refused by the proxy");
        assertNotEquals(0, ssh(hosts, "root", h, "env -u http_proxy -u HTTP_PROXY curl -s -m 3 http://192.0.2.1/", 30).code(),
                "no route out without the proxy");
    }

    @Test
    void hostsReachEachOtherByName(TestHosts hosts) throws Exception {
        TestHost other = hosts.host(1);
        Result r = ssh(hosts, "root", hosts.host(0), "getent hosts " + other.name(), 20);
        assertEquals(other.address() + "     " + other.name(), r.out().replaceAll("\\s+", "     ").strip());
    }

    @Test
    void partitionCutsTheLinkAndHealRestoresIt(TestHosts hosts) throws Exception {
        TestHost h = hosts.host(1);
        hosts.partition(h);
        try {
            assertNotEquals(0, ssh(hosts, "root", h, "true", 15).code());
        } finally {
            hosts.heal(h);
        }
        assertEquals(0, ssh(hosts, "root", h, "true", 20).code());
    }

    @Test
    void addedDelayIsFelt(TestHosts hosts) throws Exception {
        TestHost h = hosts.host(1);
        hosts.delay(h, 300);
        try {
            long start = System.nanoTime();
            assertEquals(0, ssh(hosts, "root", h, "true", 60).code());
            long millis = (System.nanoTime() - start) / 1_000_000;
            // an SSH login takes several round trips; each adds at least 2 x 300 ms
            assertTrue(millis > 1200, "took only " + millis + " ms");
        } finally {
            hosts.delay(h, 0);
        }
        assertEquals("0", Files.readString(h.root().resolve("var/lib/testbed/delay_ms")).strip());
    }

    @Test
    void packetLossDropsAtRandomAndCanBeLifted(TestHosts hosts) throws Exception {
        TestHost h = hosts.host(1);
        // 10 %, each way: a connection needs SYN and SYN-ACK through (81 %); with the retries of a 30 s
        // connect limit (5 tries) the login fails about once in 4000 runs, where 30 % and 5 s failed one in 8
        hosts.loss(h, 10);
        try {
            String table = LocalCommand.run(List.of("ip", "netns", "exec", h.netns(), "nft", "list", "table", "inet",
                    TestHosts.FAULT_TABLE), 10);
            assertTrue(table.contains("numgen random mod 100 < 10 drop"), table);
            assertEquals(0, ssh(hosts, "root", h, "true", 90, 30).code(), "TCP gets through 10% loss, slower");
            hosts.loss(h, 100);
            assertNotEquals(0, ssh(hosts, "root", h, "true", 8).code(), "100% loss cuts the host off");
        } finally {
            hosts.loss(h, 0);
        }
        assertEquals(0, ssh(hosts, "root", h, "true", 20).code());
        assertNotEquals(0, new ProcessBuilder("ip", "netns", "exec", h.netns(), "nft", "list", "table", "inet",
                TestHosts.FAULT_TABLE).start().waitFor(), "the fault table is gone");
    }
}
