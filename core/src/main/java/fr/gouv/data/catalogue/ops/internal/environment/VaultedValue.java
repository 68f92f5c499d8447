package fr.gouv.data.catalogue.ops.internal.environment;

/** A {@code !vault}-tagged scalar: its vault text, decrypted only when the value is used. */
public record VaultedValue(String vaultText, Origin origin) {
    @Override
    public String toString() {
        return "!vault (" + origin + ")";
    }
}
