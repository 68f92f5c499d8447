package fr.gouv.data.catalogue.ops;

/** An unexpected internal failure (a bug or an environment fault we did not foresee). */
public class OpsInternalException extends RuntimeException {
    public OpsInternalException(String message, Throwable cause) {
        super(message, cause);
    }
}
