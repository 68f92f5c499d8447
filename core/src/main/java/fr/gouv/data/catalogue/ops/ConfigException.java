package fr.gouv.data.catalogue.ops;

/** Bad usage or configuration: the user must change an argument or a file (CLI exit code 2). */
public class ConfigException extends OpsException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
