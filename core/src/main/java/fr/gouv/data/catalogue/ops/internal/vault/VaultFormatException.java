package fr.gouv.data.catalogue.ops.internal.vault;

/** The data is not vault data, or its envelope is truncated or damaged. */
public class VaultFormatException extends VaultException {
    public VaultFormatException(String message) {
        super(message);
    }
}
