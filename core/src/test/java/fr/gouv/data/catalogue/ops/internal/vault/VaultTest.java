package fr.gouv.data.catalogue.ops.internal.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VaultTest {
    private static final byte[] PASSWORD = "hunter2".getBytes(StandardCharsets.UTF_8);

    static byte[] resource(String name) throws IOException {
        try (InputStream in = VaultTest.class.getResourceAsStream("/vault/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Vault vault(String label, byte[] password) {
        return new Vault(List.of(new VaultSecret(label, password, "test")));
    }

    @Test
    void decryptsAFileAnsibleVaultWrote11() throws Exception {
        Vault.Decrypted d = vault("default", PASSWORD).decrypt(resource("v11.yml"), "v11.yml");
        assertArrayEquals(resource("plain.yml"), d.plaintext());
    }

    @Test
    void decryptsAFileAnsibleVaultWrote12WithItsLabel() throws Exception {
        Vault v = new Vault(List.of(new VaultSecret("other", "nope".getBytes(), "a"),
                new VaultSecret("prod", PASSWORD, "b")));
        Vault.Decrypted d = v.decrypt(resource("v12.yml"), "v12.yml");
        assertArrayEquals(resource("plain.yml"), d.plaintext());
        assertEquals("prod", d.secret().label());
    }

    @Test
    void decryptsAnEmptyPayloadAnsibleVaultWrote() throws Exception {
        assertEquals(0, vault("default", PASSWORD).decrypt(resource("empty.vault"), "empty.vault").plaintext().length);
    }

    @Test
    void writesTheExactEnvelopeAnsibleWrites() throws Exception {
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 7);
        byte[] out = Vault.encrypt("x".repeat(100).getBytes(), new VaultSecret("default", PASSWORD, "t"), salt);
        String text = new String(out, StandardCharsets.US_ASCII);
        String[] lines = text.split("\n", -1);
        assertEquals("$ANSIBLE_VAULT;1.1;AES256", lines[0]);
        assertEquals("", lines[lines.length - 1], "ends with a newline");
        for (int i = 1; i < lines.length - 2; i++) {
            assertEquals(80, lines[i].length(), "line " + i + " has 80 columns");
        }
        assertTrue(lines[lines.length - 2].length() <= 80);
        assertTrue(text.substring(text.indexOf('\n') + 1).matches("[0-9a-f\n]+"), "lower-case hex only");
        // the inner payload starts with the hex of the salt
        String inner = new String(Hex.decode(String.join("", Arrays.copyOfRange(lines, 1, lines.length)), "t"),
                StandardCharsets.US_ASCII);
        assertTrue(inner.startsWith("07".repeat(32) + "\n"));
    }

    @Test
    void labelledSecretsWriteFormat12() throws Exception {
        byte[] out = vault("prod", PASSWORD).encrypt("hello".getBytes(), new VaultSecret("prod", PASSWORD, "t"));
        assertTrue(new String(out, StandardCharsets.US_ASCII).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 100_000})
    void roundTripsEveryPaddingCase(int size) throws Exception {
        byte[] plain = new byte[size];
        for (int i = 0; i < size; i++) {
            plain[i] = (byte) (i * 31 + 7);
        }
        Vault v = vault("default", PASSWORD);
        byte[] enc = v.encrypt(plain, v.encryptionSecret(null));
        assertArrayEquals(plain, v.decrypt(enc, "mem").plaintext());
    }

    @Test
    void wrongPasswordIsOneClearLine() throws Exception {
        VaultDecryptionException e = assertThrows(VaultDecryptionException.class,
                () -> vault("default", "wrong".getBytes()).decrypt(resource("v11.yml"), "ops/secrets"));
        assertTrue(e.getMessage().startsWith("ops/secrets: decryption failed"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(e.getMessage().contains("wrong"), "never prints the password");
    }

    @Test
    void tamperedCiphertextFailsTheMacCheck() throws Exception {
        byte[] data = resource("v11.yml");
        int last = new String(data, StandardCharsets.US_ASCII).lastIndexOf('\n', data.length - 2) + 5;
        data[last] = (byte) (data[last] == '3' ? '4' : '3');
        assertThrows(VaultDecryptionException.class, () -> vault("default", PASSWORD).decrypt(data, "f"));
    }

    @Test
    void truncatedFileIsReportedAsDamaged() throws Exception {
        byte[] data = resource("v11.yml");
        byte[] truncated = Arrays.copyOf(data, 120);
        VaultFormatException e = assertThrows(VaultFormatException.class,
                () -> vault("default", PASSWORD).decrypt(truncated, "secrets"));
        assertTrue(e.getMessage().contains("truncated or damaged"), e.getMessage());
    }

    @Test
    void headerOnlyIsDamaged() {
        assertThrows(VaultFormatException.class, () -> vault("default", PASSWORD)
                .decrypt("$ANSIBLE_VAULT;1.1;AES256\n".getBytes(), "f"));
    }

    @Test
    void nonVaultDataIsRefusedWithAHint() {
        VaultFormatException e = assertThrows(VaultFormatException.class,
                () -> vault("default", PASSWORD).decrypt("a: 1\n".getBytes(), "plain.yml"));
        assertTrue(e.getMessage().contains("plain.yml is not vault-encrypted"), e.getMessage());
    }

    @Test
    void unknownCipherOrVersionIsRefused() {
        assertThrows(VaultFormatException.class, () -> vault("default", PASSWORD)
                .decrypt("$ANSIBLE_VAULT;1.1;AES\n3031\n".getBytes(), "f"));
        assertThrows(VaultFormatException.class, () -> vault("default", PASSWORD)
                .decrypt("$ANSIBLE_VAULT;9.9;AES256\n3031\n".getBytes(), "f"));
    }

    @Test
    void readsCrlfVaultText() throws Exception {
        String crlf = new String(resource("v11.yml"), StandardCharsets.US_ASCII).replace("\n", "\r\n");
        assertArrayEquals(resource("plain.yml"), vault("default", PASSWORD)
                .decrypt(crlf.getBytes(StandardCharsets.US_ASCII), "f").plaintext());
    }

    @Test
    void refusesToEncryptTwice() throws Exception {
        Vault v = vault("default", PASSWORD);
        assertThrows(VaultException.class, () -> v.encrypt(resource("v11.yml"), v.encryptionSecret(null)));
    }

    @Test
    void encryptionSecretNeedsAChoiceWhenSeveral() throws Exception {
        Vault v = new Vault(List.of(new VaultSecret("a", PASSWORD, "x"), new VaultSecret("b", PASSWORD, "y")));
        assertThrows(ConfigException.class, () -> v.encryptionSecret(null));
        assertEquals("b", v.encryptionSecret("b").label());
        assertThrows(ConfigException.class, () -> v.encryptionSecret("c"));
    }

    @Test
    void noSecretMeansAClearError() {
        VaultDecryptionException e = assertThrows(VaultDecryptionException.class,
                () -> new Vault(List.of()).decrypt(resource("v11.yml"), "f"));
        assertTrue(e.getMessage().contains("--vault-password-file"));
    }

    @Test
    void inlineFormatMatchesEncryptString() throws Exception {
        String inline = Vault.formatInline("$ANSIBLE_VAULT;1.1;AES256\nabcd\n".getBytes(), "db_password");
        assertEquals("db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          abcd", inline);
    }

    @Test
    void pbkdf2MatchesRfc7914TestVector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64
        byte[] dk = Aes256Cipher.pbkdf2("passwd".getBytes(), "salt".getBytes(), 1, 64);
        assertEquals("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783", Hex.encode(dk));
    }
}
