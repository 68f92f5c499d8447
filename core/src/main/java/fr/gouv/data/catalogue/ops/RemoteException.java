package fr.gouv.data.catalogue.ops;


/** Talking to a host failed. The message starts with the host and says why and what to do. */
public class RemoteException extends OpsException {
    /** Why, in a word a person or a recap can use. */
    public enum Reason { DNS, REFUSED, TIMEOUT, AUTH, HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, DISCONNECTED, COMMAND_TIMEOUT, SUDO, IO }

    private final Reason reason;

    public RemoteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
