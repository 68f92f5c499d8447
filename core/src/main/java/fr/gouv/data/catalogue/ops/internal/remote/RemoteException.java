package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.OpsException;

/** Talking to a host failed. The message starts with the host and says why and what to do. */
public class RemoteException extends OpsException {
    /**
     * Why, in a word a person or a recap can use. {@code ABORTED}: the run was interrupted (Ctrl-C,
     * a Jenkins abort), so the host is not to blame and the command's outcome may be unknown.
     */
    public enum Reason { DNS, REFUSED, TIMEOUT, AUTH, HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, DISCONNECTED, COMMAND_TIMEOUT, SUDO, ABORTED, IO }

    private final Reason reason;

    public RemoteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
