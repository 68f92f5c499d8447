package fr.gouv.data.catalogue.ops.internal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fr.gouv.data.catalogue.ops.ConfigException;
import org.junit.jupiter.api.Test;

/** OpenSSH's ServerAliveInterval in Ansible's ssh arguments sets how soon a silent host counts as lost. */
class ServerAliveIntervalTest {
    @Test
    void readsTheIntervalInOpenSshsSpellings() throws Exception {
        assertEquals(2, HostAccess.serverAliveInterval("web1", "-o ServerAliveInterval=2"));
        assertEquals(30, HostAccess.serverAliveInterval("web1", "-o ControlMaster=auto -o 'ServerAliveInterval 30' -C"));
        assertEquals(15, HostAccess.serverAliveInterval("web1", "-oserveraliveinterval=15"));
        assertNull(HostAccess.serverAliveInterval("web1", "-o UserKnownHostsFile=/dev/null"));
        assertNull(HostAccess.serverAliveInterval("web1", ""));
    }

    @Test
    void aBadIntervalIsOneLineNamingTheHost() {
        ConfigException e = assertThrows(ConfigException.class, () -> HostAccess.serverAliveInterval("web1",
                "-o ServerAliveInterval=0"));
        assertEquals("web1: ServerAliveInterval in the ssh arguments must be 1 to 3600 seconds, found '0'", e.getMessage());
        assertThrows(ConfigException.class, () -> HostAccess.serverAliveInterval("web1", "-o ServerAliveInterval=soon"));
    }
}
