package fr.gouv.data.catalogue.ops;


/** A staging operation was refused or failed; nothing was changed unless the message says so. */
public class StagingException extends OpsException {
    /**
     * A failure and its one-line message.
     *
     * @param message what failed, where, what to do
     */
    public StagingException(String message) {
        super(message);
    }

    /**
     * A failure, its one-line message and what caused it.
     *
     * @param message what failed, where, what to do
     * @param cause the underlying failure
     */
    public StagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
