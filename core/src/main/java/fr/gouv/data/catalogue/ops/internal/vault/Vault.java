package fr.gouv.data.catalogue.ops.internal.vault;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Ansible Vault (format 1.1 and 1.2, AES256) with one or more vault secrets.
 * Decryption tries the secrets whose label matches the data's vault id first, then all others,
 * as Ansible does by default.
 */
public final class Vault {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<VaultSecret> secrets;

    public Vault(List<VaultSecret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    public List<VaultSecret> secrets() {
        return secrets;
    }

    public static boolean isEncrypted(byte[] data) {
        return VaultEnvelope.isVault(data);
    }

    /** Plain text and the secret that opened it (so an edit re-encrypts with the same vault id). */
    public record Decrypted(byte[] plaintext, VaultSecret secret) {
    }

    /**
     * @param source names the data in messages (a file name, or a variable and its file)
     */
    public Decrypted decrypt(byte[] data, String source) throws VaultException {
        VaultEnvelope envelope = VaultEnvelope.parse(data, source);
        if (secrets.isEmpty()) {
            throw new VaultDecryptionException(source + " is vault-encrypted and no vault password was given;"
                    + " pass --vault-password-file or --vault-id");
        }
        for (VaultSecret secret : candidates(envelope.label())) {
            byte[] plaintext = Aes256Cipher.decrypt(envelope.payload(), secret.password(), source);
            if (plaintext != null) {
                return new Decrypted(plaintext, secret);
            }
        }
        String tried = secrets.stream().map(s -> s.label() + "@" + s.source()).collect(Collectors.joining(", "));
        throw new VaultDecryptionException(source + ": decryption failed: no vault password given opens it (tried "
                + tried + "); use the right --vault-password-file, or restore the file if it was altered");
    }

    private List<VaultSecret> candidates(String label) {
        List<VaultSecret> ordered = new ArrayList<>();
        if (label != null) {
            secrets.stream().filter(s -> s.label().equals(label)).forEach(ordered::add);
        }
        secrets.stream().filter(s -> !ordered.contains(s)).forEach(ordered::add);
        return ordered;
    }

    public byte[] encrypt(byte[] plaintext, VaultSecret secret) throws VaultException {
        byte[] salt = new byte[Aes256Cipher.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, secret, salt);
    }

    static byte[] encrypt(byte[] plaintext, VaultSecret secret, byte[] salt) throws VaultException {
        if (isEncrypted(plaintext)) {
            throw new VaultException("input is already vault-encrypted; decrypt it first or use rekey");
        }
        return VaultEnvelope.format(Aes256Cipher.encrypt(plaintext, secret.password(), salt), secret.label());
    }

    /**
     * The secret to encrypt with: the one labelled {@code encryptVaultId} when given, else the only one.
     */
    public VaultSecret encryptionSecret(String encryptVaultId) throws ConfigException {
        if (encryptVaultId != null) {
            return secrets.stream().filter(s -> s.label().equals(encryptVaultId)).findFirst()
                    .orElseThrow(() -> new ConfigException("--encrypt-vault-id " + encryptVaultId
                            + ": no vault secret has that label (known: " + labels() + ")"));
        }
        if (secrets.isEmpty()) {
            throw new ConfigException("no vault password given; pass --vault-password-file or --vault-id");
        }
        if (secrets.size() > 1) {
            throw new ConfigException("several vault ids are given (" + labels()
                    + "); choose the one to encrypt with: --encrypt-vault-id LABEL");
        }
        return secrets.get(0);
    }

    private String labels() {
        return secrets.stream().map(VaultSecret::label).collect(Collectors.joining(", "));
    }

    /** The YAML that {@code ansible-vault encrypt_string} prints: {@code [name: ]!vault |} and indented lines. */
    public static String formatInline(byte[] vaultText, String name) {
        StringBuilder out = new StringBuilder();
        if (name != null) {
            out.append(name).append(": ");
        }
        out.append("!vault |");
        for (String line : new String(vaultText, java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
            out.append('\n').append(" ".repeat(10)).append(line);
        }
        return out.toString();
    }
}
