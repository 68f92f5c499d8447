package fr.gouv.data.catalogue.ops.internal.environment;

/**
 * A variable as defined in one place: its raw value (templates not yet rendered), where it
 * came from, and whether it is secret (from the secrets file, a vault-encrypted file or a
 * {@code !vault} value).
 */
public record Variable(String name, Object value, Origin origin, boolean secret) {
    public static Variable of(String name, Object value, Origin origin) {
        return new Variable(name, value, origin, value instanceof VaultedValue);
    }
}
