package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.RemoteException;

/** A connection to one host: the only way catalogue-ops talks to hosts. */
public interface Remote extends AutoCloseable {
    String host();

    ExecResult exec(Command command, OutputListener listener) throws RemoteException;

    default ExecResult exec(Command command) throws RemoteException {
        return exec(command, OutputListener.NONE);
    }

    /**
     * Writes {@code content} to {@code path} atomically (a temporary file beside it, renamed over
     * it), with {@code mode} (octal, e.g. "0640") and {@code owner} ("user:group", or null to keep
     * the connecting user), escalating with sudo when {@code becomeUser} is set.
     */
    void upload(byte[] content, String path, String mode, String owner, String becomeUser) throws RemoteException;

    byte[] download(String path) throws RemoteException;

    @Override
    void close();
}
