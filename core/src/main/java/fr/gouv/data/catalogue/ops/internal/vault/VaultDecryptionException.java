package fr.gouv.data.catalogue.ops.internal.vault;

/**
 * None of the passwords given opens the data. A wrong password and a tampered ciphertext are
 * indistinguishable by design (the MAC check fails in both cases).
 */
public class VaultDecryptionException extends VaultException {
    public VaultDecryptionException(String message) {
        super(message);
    }
}
