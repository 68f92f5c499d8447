package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.RemoteException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/** Reads a host's key without logging in (for {@code hosts trust}: shown, then recorded). */
public final class HostKeyScan {
    private HostKeyScan() {
    }

    public static PublicKey scan(ConnectionSettings s) throws RemoteException {
        AtomicReference<PublicKey> seen = new AtomicReference<>();
        SSHClient client = new SSHClient();
        client.addHostKeyVerifier(new HostKeyVerifier() {
            @Override
            public boolean verify(String hostname, int port, PublicKey key) {
                seen.set(key);
                return false; // stop after the key exchange: nothing else is needed
            }

            @Override
            public List<String> findExistingAlgorithms(String hostname, int port) {
                return List.of();
            }
        });
        client.setConnectTimeout((int) s.connectTimeout().toMillis());
        try {
            client.connect(s.address(), s.port());
        } catch (IOException e) {
            if (seen.get() == null) {
                throw new RemoteException(RemoteException.Reason.IO, s.host() + " (" + s.address() + ":" + s.port()
                        + "): cannot read its host key: " + SshRemote.oneLine(e));
            }
        } finally {
            try {
                client.disconnect();
            } catch (IOException ignored) {
                // never fully connected
            }
        }
        return seen.get();
    }
}
