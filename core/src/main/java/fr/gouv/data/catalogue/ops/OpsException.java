package fr.gouv.data.catalogue.ops;

/**
 * Base of every failure a user can meet. The message is one line: what failed, where, what to do.
 * Expected failures never need a stack trace; front ends print {@link #getMessage()} only.
 */
public class OpsException extends Exception {
    /**
     * A failure and its one-line message.
     *
     * @param message what failed, where, what to do
     */
    public OpsException(String message) {
        super(message);
    }

    /**
     * A failure, its one-line message and what caused it.
     *
     * @param message what failed, where, what to do
     * @param cause the underlying failure
     */
    public OpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
