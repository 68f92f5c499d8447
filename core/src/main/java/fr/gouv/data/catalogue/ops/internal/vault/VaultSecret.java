package fr.gouv.data.catalogue.ops.internal.vault;

import java.util.Arrays;
import java.util.Objects;

/**
 * A vault password with its vault id label ({@code default} when none was given).
 * The password bytes are copied in and wiped by {@link #close()}.
 */
public final class VaultSecret implements AutoCloseable {
    public static final String DEFAULT_LABEL = "default";

    private final String label;
    private final byte[] password;
    private final String source;

    public VaultSecret(String label, byte[] password, String source) {
        this.label = label == null || label.isEmpty() ? DEFAULT_LABEL : label;
        this.password = Objects.requireNonNull(password, "password").clone();
        this.source = source;
    }

    public String label() {
        return label;
    }

    /** Where the password came from (a file name, "prompt"), for messages. Never the password. */
    public String source() {
        return source;
    }

    byte[] password() {
        return password;
    }

    /** The password as text, only to mask it in a log (e.g. Jenkins' build log); never print it. */
    public String textToMask() {
        return new String(password, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Arrays.fill(password, (byte) 0);
    }

    @Override
    public String toString() {
        return "VaultSecret[" + label + " from " + source + "]";
    }
}
