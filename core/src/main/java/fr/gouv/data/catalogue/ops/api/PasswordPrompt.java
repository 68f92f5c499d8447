package fr.gouv.data.catalogue.ops.api;

/** Asks a person for a password (a terminal, a dialog). */
@FunctionalInterface
public interface PasswordPrompt {
    /**
     * Asks {@code question}.
     *
     * @param question what to show, e.g. "Vault password: "
     * @return the answer, or null when no one can answer
     */
    char[] ask(String question);
}
