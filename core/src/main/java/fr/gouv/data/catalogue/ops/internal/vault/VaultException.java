package fr.gouv.data.catalogue.ops.internal.vault;

import fr.gouv.data.catalogue.ops.OpsException;

/** A vault operation failed: wrong password, damaged or non-vault data. */
public class VaultException extends OpsException {
    public VaultException(String message) {
        super(message);
    }
}
