package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands tasks send, exactly, and how they read the answers. */
class TaskCommandsTest {
    @Test
    void packages() {
        assertEquals("env LC_ALL=C apt-cache policy nginx supervisor",
                Packages.probeCommand(List.of("nginx", "supervisor")).toString());
        assertEquals("env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=60"
                + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold nginx", Packages.installCommand(List.of("nginx")).toString());
        Map<String, String[]> v = Packages.parsePolicy("""
                nginx:
                  Installed: (none)
                  Candidate: 1.22.1-9+deb12u2
                  Version table:
                     1.22.1-9+deb12u2 500
                        500 http://mirror/debian bookworm/main amd64 Packages
                supervisor:
                  Installed: 4.2.5-1
                  Candidate: 4.2.5-1
                """);
        assertArrayEquals(new String[] {"(none)", "1.22.1-9+deb12u2"}, v.get("nginx"));
        assertArrayEquals(new String[] {"4.2.5-1", "4.2.5-1"}, v.get("supervisor"));
        assertNull(v.get("nosuchpackage"), "apt-cache prints nothing for an unknown name");
        assertThrows(IllegalArgumentException.class, () -> Packages.of("nginx; reboot"));
        assertEquals("dpkg-query -W '-f=${Package}\\t${db:Status-Status}\\t${Version}\\n' curl git",
                Packages.statusCommand(List.of("curl", "git")).toString());
        assertEquals(java.util.Set.of("curl"), Packages.parseInstalled("curl\tinstalled\t7.88\ngit\tnot-installed\t\n"
                + "vim\tconfig-files\t2:9.0\n"));
    }

    static ExecResult answer(String stdout) {
        return new ExecResult("h", 0, stdout, "", java.time.Duration.ZERO);
    }

    @Test
    void files() throws Exception {
        assertEquals("sh -c 'if [ -e \"$1\" ]; then stat -c '\\''%a %U:%G'\\'' \"$1\" && sha256sum \"$1\"; else echo absent; fi' sh"
                + " /etc/nginx/nginx.conf",
                FileContent.probeCommand("/etc/nginx/nginx.conf").toString());
        Command probe = FileContent.probeCommand("/etc/x");
        String sum = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        FileContent.State s = FileContent.State.parse(probe, answer("644 root:root\n" + sum + "  /etc/x\n"));
        assertEquals(new FileContent.State(0644, "root:root", sum), s);
        assertEquals(sum, FileContent.State.parse(probe, answer("644 root:root\n\\" + sum + "  /etc/a\\nb\n")).sha256(),
                "sha256sum escapes an odd name with a leading backslash");
        assertNull(FileContent.State.parse(probe, answer("absent\n")));
        assertEquals("install -d -m 0755 -o www-data -g www-data -- /var/www/letsencrypt",
                Directory.applyCommand("/var/www/letsencrypt", "0755", "www-data:www-data").toString());
        assertEquals("stat -c '%F %a %U:%G' -- /srv", Directory.probeCommand("/srv").toString());
        assertThrows(IllegalArgumentException.class, () -> Absent.of("/"));
        assertThrows(IllegalArgumentException.class, () -> Absent.of("relative/path"));
        assertThrows(IllegalArgumentException.class, () -> FileContent.of("f", "/x", "", "rw", "root:root"));
    }

    @Test
    void services() {
        assertEquals("service nginx start", Service.startCommand(Service.Init.SYSV, "nginx").toString());
        assertEquals("systemctl start nginx", Service.startCommand(Service.Init.SYSTEMD, "nginx").toString());
        assertEquals("update-rc.d supervisor enable", Service.enableCommand(Service.Init.SYSV, "supervisor").toString());
        assertEquals("systemctl enable supervisor", Service.enableCommand(Service.Init.SYSTEMD, "supervisor").toString());
        assertEquals("systemctl reload nginx", ServiceAction.actionCommand(Service.Init.SYSTEMD, "nginx", "reload").toString());
        assertEquals("service nginx reload", ServiceAction.actionCommand(Service.Init.SYSV, "nginx", "reload").toString());
        assertThrows(IllegalArgumentException.class, () -> Service.of("nginx && reboot"));
        assertThrows(IllegalArgumentException.class, () -> new ServiceAction("nginx", "stop", List.of()));
    }

    @Test
    void cronEntriesAreMarkedAsAnsibleMarksThem() {
        assertEquals("#Ansible: certs_renewal\n@weekly certbot renew -q\n",
                CronEntry.withEntry("", "certs_renewal", "@weekly certbot renew -q"));
        String theirs = "MAILTO=ops\n#Ansible: certs_renewal\n@daily certbot renew\n0 1 * * * backup\n";
        assertEquals("MAILTO=ops\n#Ansible: certs_renewal\n@weekly certbot renew -q\n0 1 * * * backup\n",
                CronEntry.withEntry(theirs, "certs_renewal", "@weekly certbot renew -q"), "replaced in place, others kept");
        String done = CronEntry.withEntry(theirs, "certs_renewal", "@weekly certbot renew -q");
        assertEquals(done, CronEntry.withEntry(done, "certs_renewal", "@weekly certbot renew -q"), "idempotent");
    }

    /** apt's words, as Debian 12's apt 2.6 prints them while another process holds its locks. */
    @Test
    void aptCache() {
        assertEquals("apt-get update -q -o DPkg::Lock::Timeout=60", AptCache.updateCommand().toString());
        var held = new fr.gouv.data.catalogue.ops.internal.remote.ExecResult("h", 100, "Reading package lists...\n",
                "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 42 (apt-get)\n"
                        + "E: Unable to lock directory /var/lib/apt/lists/\n", java.time.Duration.ZERO);
        assertTrue(AptCache.lockHeld(held));
        assertTrue(AptCache.lockHeld(new fr.gouv.data.catalogue.ops.internal.remote.ExecResult("h", 100, "", "E: Unable to acquire"
                + " the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?\n", java.time.Duration.ZERO)),
                "what apt-get install says once DPkg::Lock::Timeout is up");
        assertFalse(AptCache.lockHeld(new fr.gouv.data.catalogue.ops.internal.remote.ExecResult("h", 100, "",
                "E: Failed to fetch http://mirror.test/dists/bookworm/InRelease  404  Not Found\n", java.time.Duration.ZERO)));
        assertFalse(AptCache.lockHeld(new fr.gouv.data.catalogue.ops.internal.remote.ExecResult("h", 0, "", "", java.time.Duration.ZERO)));
    }
}
