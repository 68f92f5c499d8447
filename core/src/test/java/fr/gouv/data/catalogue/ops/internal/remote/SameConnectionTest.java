package fr.gouv.data.catalogue.ops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection begun before the secrets were read is kept only when they change nothing of how the host is reached. */
class SameConnectionTest {
    final ConnectionSettings base = ConnectionSettings.of("web-1", "root", List.of(Path.of("/keys/id_ed25519")),
            List.of(Path.of("/ops/known_hosts"))).withAddress("10.0.0.5", 22).withAgent(null);

    @Test
    void escalationIsNotPartOfTheConnection() {
        assertTrue(SshRemote.sameConnection(base, base.withBecome("catalogue", "sudo-pw".toCharArray())));
        assertTrue(SshRemote.sameConnection(base.withKeyPassphrase("p".toCharArray()), base.withKeyPassphrase("p".toCharArray())),
                "passphrases compare by content");
    }

    @Test
    void anythingThatReachesTheHostDiffers() {
        assertFalse(SshRemote.sameConnection(base, base.withAddress("10.0.0.6", 22)));
        assertFalse(SshRemote.sameConnection(base, base.withAddress("10.0.0.5", 2222)));
        assertFalse(SshRemote.sameConnection(base, ConnectionSettings.of("web-1", "deploy", base.keyFiles(), base.knownHosts())
                .withAddress("10.0.0.5", 22).withAgent(null)));
        assertFalse(SshRemote.sameConnection(base, base.withKeyFiles(List.of(Path.of("/keys/other")))));
        assertFalse(SshRemote.sameConnection(base, base.withInlineKey("-----BEGIN OPENSSH PRIVATE KEY-----")));
        assertFalse(SshRemote.sameConnection(base, base.withKeyPassphrase("p".toCharArray())));
        assertFalse(SshRemote.sameConnection(base, base.withAgent(Path.of("/run/agent.sock"))));
        assertFalse(SshRemote.sameConnection(base, ConnectionSettings.of("web-1", "root", base.keyFiles(),
                List.of(Path.of("/other/known_hosts"))).withAddress("10.0.0.5", 22).withAgent(null)));
        assertFalse(SshRemote.sameConnection(base, base.withConnectTimeout(Duration.ofSeconds(3))));
        assertFalse(SshRemote.sameConnection(base, base.withKeepAlive(Duration.ofSeconds(30))));
    }
}
