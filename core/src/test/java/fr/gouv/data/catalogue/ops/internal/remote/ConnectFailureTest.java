package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.RemoteException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Why a connection failed, in the words ping and every recap use; and the agent's wire format. */
class ConnectFailureTest {
    private final ConnectionSettings settings = ConnectionSettings.of("web1", "root", List.of(), List.of())
            .withAddress("192.0.2.10", 2222);

    private RemoteException failure(IOException e) {
        return SshRemote.connectFailure(settings, new HostKeys(List.of()), e);
    }

    @Test
    void eachCauseHasItsReasonAndAHint() {
        RemoteException dns = failure(new UnknownHostException("web1.invalid"));
        assertEquals(RemoteException.Reason.DNS, dns.reason());
        assertEquals("web1 (192.0.2.10:2222): name not found (DNS); check ansible_host", dns.getMessage());
        assertEquals(RemoteException.Reason.REFUSED, failure(new ConnectException("Connection refused")).reason());
        assertEquals(RemoteException.Reason.REFUSED, failure(new NoRouteToHostException("no route")).reason());
        RemoteException timeout = failure(new SocketTimeoutException("connect timed out"));
        assertEquals(RemoteException.Reason.TIMEOUT, timeout.reason());
        assertTrue(timeout.getMessage().contains("no answer within 10 s"), timeout.getMessage());
        RemoteException other = failure(new IOException("Broken\n  pipe"));
        assertEquals(RemoteException.Reason.IO, other.reason());
        assertEquals("web1 (192.0.2.10:2222): Broken pipe", other.getMessage(), "always one line");
    }

    @Test
    void agentRsaKeysSignWithSha2() {
        assertEquals("rsa-sha2-512", AgentAuth.algorithm("ssh-rsa"));
        assertEquals(SshAgent.RSA_SHA2_512, AgentAuth.signFlags("ssh-rsa"));
        assertEquals("ssh-ed25519", AgentAuth.algorithm("ssh-ed25519"));
        assertEquals(0, AgentAuth.signFlags("ecdsa-sha2-nistp256"));
    }

    @Test
    void agentWireFormatRoundTrips() throws Exception {
        byte[] msg = new SshAgent.WireWriter().put((byte) 13).string(new byte[] {1, 2}).uint32(4).bytes();
        assertArrayEquals(new byte[] {13, 0, 0, 0, 2, 1, 2, 0, 0, 0, 4}, msg);
        SshAgent.WireReader r = new SshAgent.WireReader(new byte[] {0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 0, 9});
        assertArrayEquals("abc".getBytes(), r.string());
        assertEquals(9, r.uint32());
        assertThrows(IOException.class, () -> new SshAgent.WireReader(new byte[] {0, 0, 0, 5, 'a'}).string(),
                "a length past the end is refused, not read");
    }

    @Test
    void aMissingAgentSocketIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> SshAgent.open(Path.of("/nonexistent/agent.sock")));
        assertTrue(e.getMessage().startsWith("cannot reach the SSH agent at /nonexistent/agent.sock"), e.getMessage());
    }
}
