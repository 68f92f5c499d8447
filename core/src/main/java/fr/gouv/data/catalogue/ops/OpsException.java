package fr.gouv.data.catalogue.ops;

/**
 * Base of every failure a user can meet. The message is one line: what failed, where, what to do.
 * Expected failures never need a stack trace; front ends print {@link #getMessage()} only.
 */
public class OpsException extends Exception {
    public OpsException(String message) {
        super(message);
    }

    public OpsException(String message, Throwable cause) {
        super(message, cause);
    }
}
