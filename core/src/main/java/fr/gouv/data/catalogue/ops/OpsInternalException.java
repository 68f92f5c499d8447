package fr.gouv.data.catalogue.ops;

/** An unexpected internal failure (a bug or an environment fault we did not foresee). */
public class OpsInternalException extends RuntimeException {
    /**
     * A failure, its one-line message and what caused it.
     *
     * @param message what was being done
     * @param cause the underlying failure
     */
    public OpsInternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
