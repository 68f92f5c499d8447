package fr.gouv.data.catalogue.ops;

/** Bad usage or configuration: the user must change an argument or a file (CLI exit code 2). */
public class ConfigException extends OpsException {
    /**
     * A failure and its one-line message.
     *
     * @param message what failed, where, what to do
     */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * A failure, its one-line message and what caused it.
     *
     * @param message what failed, where, what to do
     * @param cause the underlying failure
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
