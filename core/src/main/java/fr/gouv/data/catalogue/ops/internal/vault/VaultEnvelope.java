package fr.gouv.data.catalogue.ops.internal.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The text around a vault payload: {@code $ANSIBLE_VAULT;1.1;AES256} (or {@code 1.2;AES256;label})
 * then the hex of the payload in lines of 80 characters, each ending with a newline.
 */
record VaultEnvelope(String version, String cipher, String label, byte[] payload) {
    static final String HEADER = "$ANSIBLE_VAULT";
    static final String CIPHER = "AES256";

    /** True when the data starts with the vault header (as Ansible decides it). */
    static boolean isVault(byte[] data) {
        byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
        if (data.length < header.length) {
            return false;
        }
        for (int i = 0; i < header.length; i++) {
            if (data[i] != header[i]) {
                return false;
            }
        }
        for (byte b : data) {
            if (b < 0) {
                return false; // vault text is pure ASCII
            }
        }
        return true;
    }

    static VaultEnvelope parse(byte[] data, String source) throws VaultFormatException {
        if (!isVault(data)) {
            throw new VaultFormatException(source + " is not vault-encrypted (no " + HEADER
                    + " header); to encrypt it use 'catalogue-ops vault encrypt'");
        }
        String text = new String(data, StandardCharsets.US_ASCII);
        String[] lines = text.split("\r\n|\r|\n");
        String[] header = lines[0].strip().split(";");
        if (header.length < 3) {
            throw Aes256Cipher.damaged(source, "the header '" + lines[0].strip() + "' has no version or cipher");
        }
        String version = header[1].strip();
        String cipher = header[2].strip();
        String label = header.length >= 4 ? header[3].strip() : null;
        if (!version.equals("1.1") && !version.equals("1.2")) {
            throw new VaultFormatException(source + ": vault format version " + version
                    + " is not supported (1.1 and 1.2 are); re-encrypt it with ansible-vault rekey");
        }
        if (!CIPHER.equals(cipher)) {
            throw new VaultFormatException(source + ": vault cipher " + cipher
                    + " is not supported (only AES256 is); re-encrypt it with ansible-vault rekey");
        }
        StringBuilder hex = new StringBuilder(text.length());
        for (int i = 1; i < lines.length; i++) {
            hex.append(lines[i].strip());
        }
        if (hex.length() == 0) {
            throw Aes256Cipher.damaged(source, "nothing after the header");
        }
        return new VaultEnvelope(version, cipher, label, Hex.decode(hex, source));
    }

    /** The vault text, as {@code ansible-vault} writes it: 1.2 with the label unless it is "default". */
    static byte[] format(byte[] payload, String label) {
        boolean labelled = label != null && !label.isEmpty() && !VaultSecret.DEFAULT_LABEL.equals(label);
        String header = HEADER + (labelled ? ";1.2;" + CIPHER + ";" + label : ";1.1;" + CIPHER);
        String hex = Hex.encode(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + hex.length() + hex.length() / 80 + 2);
        out.writeBytes(header.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        for (int i = 0; i < hex.length(); i += 80) {
            out.writeBytes(hex.substring(i, Math.min(hex.length(), i + 80)).getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
        }
        return out.toByteArray();
    }
}
