package fr.gouv.data.catalogue.ops;


/** A staging operation was refused or failed; nothing was changed unless the message says so. */
public class StagingException extends OpsException {
    public StagingException(String message) {
        super(message);
    }

    public StagingException(String message, Throwable cause) {
        super(message, cause);
    }
}
