package fr.gouv.data.catalogue.ops;


/** Talking to a host failed. The message starts with the host and says why and what to do. */
public class RemoteException extends OpsException {
    /** Why, in a word a person or a recap can use. */
    public enum Reason {
        /** The host's name does not resolve. */
        DNS,
        /** Nothing listens on the SSH port. */
        REFUSED,
        /** No answer within the connect time limit. */
        TIMEOUT,
        /** No key or password was accepted. */
        AUTH,
        /** The host's key is not pinned in any known_hosts file. */
        HOST_KEY_UNKNOWN,
        /** The host's key differs from the pinned one. */
        HOST_KEY_CHANGED,
        /** The connection was lost. */
        DISCONNECTED,
        /** A command ran past its time limit. */
        COMMAND_TIMEOUT,
        /** sudo refused or asked for a password it did not get. */
        SUDO,
        /**
         * The run was interrupted (Ctrl-C, a Jenkins abort): the host is not to blame and the
         * command's outcome may be unknown.
         */
        ABORTED,
        /** Any other input/output failure. */
        IO
    }

    /** Why it failed. */
    private final Reason reason;

    /**
     * A failure talking to a host.
     *
     * @param reason why, in a word
     * @param message the host, what failed and what to do
     */
    public RemoteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why it failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
