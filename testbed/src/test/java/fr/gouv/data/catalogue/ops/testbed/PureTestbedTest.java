package fr.gouv.data.catalogue.ops.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts of the testbed that need no root: parsing, choices, command lines. */
class PureTestbedTest {
    @Test
    void readsDeb822AndOneLineSources() throws Exception {
        List<String[]> sources = new java.util.ArrayList<>(PackageMirrors.parseDeb822("""
                Types: deb
                URIs: http://mirror.example/debian
                Suites: bookworm bookworm-updates
                Components: main

                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb-src
                URIs: http://src.example/debian
                Suites: bookworm

                Types: deb
                Enabled: no
                URIs: http://off.example/debian
                Suites: bookworm
                """));
        sources.addAll(PackageMirrors.parseList("# comment\ndeb [arch=amd64 signed-by=/k.gpg] https://extra.example/apt stable main\n"));
        PackageMirrors m = PackageMirrors.of(sources, URI.create("https://npm.example/"));
        assertEquals(URI.create("http://mirror.example/debian"), m.debianMirror());
        assertEquals(URI.create("http://mirror.example/debian-security"), m.securityMirror());
        assertEquals(Set.of("mirror.example", "extra.example", "npm.example"), m.allowedHosts());
        assertEquals("deb http://mirror.example/debian bookworm main\ndeb http://mirror.example/debian bookworm-updates main\n"
                + "deb http://mirror.example/debian-security bookworm-security main\n", m.hostSourcesList());
    }

    @Test
    void aMachineWithoutBookwormIsRefused() {
        assertThrows(TestbedException.class, () -> PackageMirrors.of(List.<String[]>of(new String[] {"http://x/debian", "trixie"}), null));
    }

    @Test
    void subnetAvoidsEverythingInUse() throws Exception {
        Subnet s = Subnet.choose(5, List.of("10.213.5.0/24", "10.213.6.128/25", "192.0.2.0/24"));
        assertEquals("10.213.7.0/24", s.cidr());
        assertEquals("10.213.7.1", s.gateway());
        assertEquals("10.213.7.11", s.address(1));
        assertTrue(new Subnet(9).overlaps("10.0.0.0/8"), "a wider route covers it");
        assertFalse(new Subnet(9).overlaps("10.213.10.0/24"));
        assertThrows(TestbedException.class, () -> Subnet.choose(1, List.of("10.213.0.0/16")));
    }

    @Test
    void proxyAllowsOnlyTheMirrors() {
        assertEquals("^deb\\.example\\.org$\n^npm\\.example$\n", PackageProxy.filter(List.of("deb.example.org", "npm.example")));
        String conf = PackageProxy.config(new Subnet(7), Path.of("/f"));
        assertTrue(conf.contains("Listen 10.213.7.1\n"));
        assertTrue(conf.contains("Allow 10.213.7.0/24\n"));
        assertTrue(conf.contains("FilterDefaultDeny Yes\n"));
    }

    @Test
    void hostStartsInItsOwnNamespaces() {
        assertEquals(List.of("ip", "netns", "exec", "catops-tb1-1", "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork",
                "--kill-child", "--mount-proc=/s/merged/proc", "chroot", "/s/merged", "/usr/bin/python3",
                "/usr/local/sbin/testbed-init", "10.213.7.11"), HostBuilder.startCommand("catops-tb1-1", Path.of("/s/merged"), "10.213.7.11"));
    }

    @Test
    void interfaceNamesFitTheKernelLimit() {
        assertTrue(TestHosts.vethName("a-very-long-testbed", 20).length() <= 15);
        assertTrue(TestHosts.bridgeName("a-very-long-testbed").length() <= 15);
        assertTrue((TestHosts.vethName("x", 20) + "p").length() <= 15);
    }

    @Test
    void lossIsAnNftablesRuleInTheHostsNamespace() {
        assertEquals(List.of("ip", "netns", "exec", "catops-tb1-1", "nft", "delete table inet testbed_fault"),
                TestHosts.lossCommand("catops-tb1-1", "delete table inet testbed_fault"));
        String rules = TestHosts.lossRules(25);
        assertTrue(rules.contains("add rule inet testbed_fault in iifname \"eth0\" numgen random mod 100 < 25 drop"), rules);
        assertTrue(rules.contains("add rule inet testbed_fault out oifname \"eth0\" numgen random mod 100 < 25 drop"), rules);
        assertTrue(TestHosts.lossRules(100).contains("in iifname \"eth0\" drop;"), "100% drops everything");
    }

    @Test
    void aRequiredSubnetIsRefusedWhenAnythingOverlapsIt() throws Exception {
        assertEquals("10.213.201.0/24", Subnet.require(201, List.of("192.168.0.0/16", "10.213.200.0/24")).cidr());
        TestbedException taken = assertThrows(TestbedException.class, () -> Subnet.require(201, List.of("10.0.0.0/8")));
        assertTrue(taken.getMessage().startsWith("10.213.201.0/24 is already used on this machine (10.0.0.0/8)"), taken.getMessage());
    }
}
