package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A connection started before the play is ready (templates read, tasks built), so that the SSH
 * handshake overlaps that work; the runner takes it when the host's turn comes. A connection the
 * runner never took is closed by {@link #close()}.
 */
public final class EarlyConnector implements PlayRunner.Connector, AutoCloseable {
    private final CompletableFuture<Remote> connecting;
    private volatile boolean taken;

    private EarlyConnector(CompletableFuture<Remote> connecting) {
        this.connecting = connecting;
    }

    /** Starts connecting now, on a daemon thread. */
    public static EarlyConnector start(PlayRunner.Connector connector) {
        CompletableFuture<Remote> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(connector.connect());
            } catch (RemoteException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "catalogue-ops-early-connect");
        t.setDaemon(true);
        t.start();
        return new EarlyConnector(f);
    }

    @Override
    public Remote connect() throws RemoteException {
        taken = true;
        try {
            return connecting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RemoteException re) {
                throw re;
            }
            throw e;
        }
    }

    /** Closes the connection if the runner never took it (the run stopped before this host). */
    @Override
    public void close() {
        if (!taken) {
            connecting.thenAccept(Remote::close);
        }
    }
}
