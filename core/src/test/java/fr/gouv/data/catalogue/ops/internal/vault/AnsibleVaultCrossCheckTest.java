package fr.gouv.data.catalogue.ops.internal.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.environment.VaultedValue;
import fr.gouv.data.catalogue.ops.internal.environment.YamlFile;
import fr.gouv.data.catalogue.ops.testing.AnsiblePeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both directions against the real ansible-vault of Debian's ansible-core. */
class AnsibleVaultCrossCheckTest {
    private static final String ASCII = "hunter2";
    private static final String UNICODE = "pässwörd-日本-ключ";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsAnsible() {
        AnsiblePeer.require("ansible-vault");
    }

    static Stream<Arguments> cases() {
        byte[] big = new byte[100 * 1024];
        new Random(42).nextBytes(big);
        List<Object[]> payloads = List.of(
                new Object[] {"empty", new byte[0]},
                new Object[] {"one byte", new byte[] {'x'}},
                new Object[] {"one block", "0123456789abcdef".getBytes()},
                new Object[] {"crlf", "a: 1\r\nb: 2\r\n".getBytes()},
                new Object[] {"unicode", "clé: «valeur» 日本\n".getBytes(StandardCharsets.UTF_8)},
                new Object[] {"100 KB", big});
        Stream.Builder<Arguments> out = Stream.builder();
        int i = 0;
        for (Object[] p : payloads) {
            out.add(Arguments.of(p[0], p[1], i % 2 == 0 ? ASCII : UNICODE, null));
            out.add(Arguments.of(p[0], p[1], i % 2 == 0 ? UNICODE : ASCII, "prod"));
            i++;
        }
        return out.build();
    }

    private Path passwordFile(String password) throws Exception {
        return Files.writeString(dir.resolve("pw"), password + "\n", StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}, label {3}")
    @MethodSource("cases")
    void weDecryptWhatAnsibleVaultWrites(String name, byte[] payload, String password, String label) throws Exception {
        Path pw = passwordFile(password);
        Path file = Files.write(dir.resolve("data"), payload);
        String id = label == null ? "pw" : label + "@pw";
        AnsiblePeer.Result r = AnsiblePeer.run(dir, null, "ansible-vault", "encrypt", "--vault-id", id, "data");
        assertEquals(0, r.exitCode(), r.stderr());
        byte[] encrypted = Files.readAllBytes(file);
        assertTrue(new String(encrypted, StandardCharsets.US_ASCII)
                .startsWith(label == null ? "$ANSIBLE_VAULT;1.1;AES256\n" : "$ANSIBLE_VAULT;1.2;AES256;" + label + "\n"));
        try (VaultSecret secret = VaultPasswords.fromFile(label, pw)) {
            assertArrayEquals(payload, new Vault(List.of(secret)).decrypt(encrypted, "data").plaintext());
        }
    }

    @ParameterizedTest(name = "{0}, label {3}")
    @MethodSource("cases")
    void ansibleVaultDecryptsWhatWeWrite(String name, byte[] payload, String password, String label) throws Exception {
        Path pw = passwordFile(password);
        try (VaultSecret secret = VaultPasswords.fromFile(label, pw)) {
            Files.write(dir.resolve("data"), new Vault(List.of(secret)).encrypt(payload, secret));
        }
        String id = label == null ? "pw" : label + "@pw";
        AnsiblePeer.Result r = AnsiblePeer.run(dir, null, "ansible-vault", "decrypt", "--vault-id", id,
                "--output", "-", "data");
        assertEquals(0, r.exitCode(), r.stderr());
        assertArrayEquals(payload, r.stdout());
    }

    @Test
    void inlineValuesCrossBothWays() throws Exception {
        passwordFile(UNICODE);
        AnsiblePeer.Result theirs = AnsiblePeer.run(dir, null, "ansible-vault", "encrypt_string",
                "--vault-password-file", "pw", "--name", "db_password", "p@ss wörd:/?");
        assertEquals(0, theirs.exitCode(), theirs.stderr());
        Object value = YamlFile.readMapping(theirs.out(), "inline.yml").values().get("db_password");
        VaultedValue vaulted = assertInstanceOf(VaultedValue.class, value);
        try (VaultSecret secret = VaultPasswords.fromFile(null, dir.resolve("pw"))) {
            Vault vault = new Vault(List.of(secret));
            byte[] plain = vault.decrypt(vaulted.vaultText().getBytes(StandardCharsets.US_ASCII), "inline").plaintext();
            assertEquals("p@ss wörd:/?", new String(plain, StandardCharsets.UTF_8));

            String ours = Vault.formatInline(vault.encrypt("s3cr€t 'q'".getBytes(StandardCharsets.UTF_8), secret), "token");
            Files.writeString(dir.resolve("vars.yml"), ours + "\n");
        }
        AnsiblePeer.Result read = AnsiblePeer.run(dir, null, "ansible", "localhost", "-i", "localhost,", "-c", "local",
                "-m", "debug", "-a", "var=token", "-e", "@vars.yml", "--vault-password-file", "pw");
        assertEquals(0, read.exitCode(), read.stderr() + read.out());
        assertTrue(read.out().contains("\"token\": \"s3cr€t 'q'\""), read.out());
    }
}
