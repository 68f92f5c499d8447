package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultCommandTest {
    @TempDir
    Path tmp;
    OpsFixture ops;
    CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        ops = new OpsFixture(tmp).validEnvironment("prod").passwordFile();
        cli = new CliRun(tmp);
        Files.writeString(tmp.resolve("pw"), "file-password\n");
        Files.writeString(tmp.resolve("pw2"), "second-password\n");
    }

    @Test
    void encryptViewDecryptInPlace() throws Exception {
        Path f = Files.writeString(tmp.resolve("notes.yml"), "a: 1\n");
        cli.run("vault", "encrypt", "--vault-password-file", "pw", "notes.yml");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(Files.readString(f).startsWith("$ANSIBLE_VAULT;1.1;AES256\n"));
        cli.run("vault", "view", "--vault-password-file", "pw", "notes.yml");
        assertEquals("a: 1\n", cli.out);
        cli.run("vault", "decrypt", "--vault-password-file", "pw", "notes.yml");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("a: 1\n", Files.readString(f));
    }

    @Test
    void stdinToStdoutAndOutputFile() throws Exception {
        cli.stdin = "from stdin".getBytes();
        cli.run("vault", "encrypt", "--vault-id", "dev@pw", "--output", "-");
        assertTrue(cli.out.startsWith("$ANSIBLE_VAULT;1.2;AES256;dev\n"), cli.out);
        Files.writeString(tmp.resolve("enc"), cli.out);
        cli.run("vault", "decrypt", "--vault-id", "dev@pw", "enc", "--output", "plain.txt");
        assertEquals("from stdin", Files.readString(tmp.resolve("plain.txt")));
        assertTrue(Files.readString(tmp.resolve("enc")).startsWith("$ANSIBLE_VAULT"), "input untouched with --output");
    }

    @Test
    void oneBadFileAmongSeveralChangesNone() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "plain a");
        Path b = Files.writeString(tmp.resolve("b"), "plain b");
        cli.run("vault", "encrypt", "--vault-password-file", "pw", "b");
        byte[] bEncrypted = Files.readAllBytes(b);
        cli.run("vault", "encrypt", "--vault-password-file", "pw", "a", "b");
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("b is already vault-encrypted"), cli.err);
        assertEquals("plain a", Files.readString(a));
        assertArrayEquals(bEncrypted, Files.readAllBytes(b));
    }

    @Test
    void decryptingAPlainFileFailsAndKeepsIt() throws Exception {
        Path f = Files.writeString(tmp.resolve("plain"), "hello");
        cli.run("vault", "decrypt", "--vault-password-file", "pw", "plain");
        assertEquals(1, cli.exitCode);
        assertTrue(cli.oneLineError().contains("plain is not vault-encrypted"), cli.err);
        assertEquals("hello", Files.readString(f));
    }

    @Test
    void wrongPasswordAndTamperedFileKeepTheFile() throws Exception {
        Path f = Files.writeString(tmp.resolve("s"), "secret");
        cli.run("vault", "encrypt", "--vault-password-file", "pw", "s");
        byte[] encrypted = Files.readAllBytes(f);
        cli.run("vault", "decrypt", "--vault-password-file", "pw2", "s");
        assertEquals(1, cli.exitCode);
        assertTrue(cli.oneLineError().contains("decryption failed"));
        assertArrayEquals(encrypted, Files.readAllBytes(f));
        Files.write(f, java.util.Arrays.copyOf(encrypted, encrypted.length - 40));
        cli.run("vault", "view", "--vault-password-file", "pw", "s");
        assertEquals(1, cli.exitCode);
        cli.oneLineError();
    }

    @Test
    void missingPasswordFileIsExit2() {
        cli.run("vault", "view", "--vault-password-file", "nope", "x");
        assertEquals(2, cli.exitCode);
        assertTrue(cli.oneLineError().contains("vault password file"), cli.err);
    }

    @Test
    void rekeyChangesThePassword() throws Exception {
        Files.writeString(tmp.resolve("s"), "secret");
        cli.run("vault", "encrypt", "--vault-password-file", "pw", "s");
        cli.run("vault", "rekey", "--vault-password-file", "pw", "--new-vault-id", "prod@pw2", "s");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(Files.readString(tmp.resolve("s")).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"));
        cli.run("vault", "view", "--vault-password-file", "pw2", "s");
        assertEquals("secret", cli.out);
        cli.run("vault", "rekey", "--vault-password-file", "pw2", "s");
        assertEquals(2, cli.exitCode, "the new password is required");
    }

    @Test
    void encryptStringIsUsableAsAVariable() throws Exception {
        cli.run("vault", "encrypt-string", "--vault-password-file", "ops/ansible/vault-password", "--name", "db_password", "p@ss");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.startsWith("db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n"), cli.out);
        ops.file("environments/prod/group_vars/all.yml", cli.out);
        cli.run("env", "show", "prod", "--reveal");
        assertTrue(cli.out.contains("db_password = p@ss    # ops/ansible/environments/prod/group_vars/all.yml:1"), cli.out);
        cli.run("env", "show", "prod");
        assertTrue(cli.out.contains("db_password = ********"), cli.out);
    }

    @Test
    void secretsEditSavesOnlyRealChangesAndWipesTheTempFile() throws Exception {
        Path secrets = ops.opsDir().resolve("environments/prod/secrets");
        byte[] before = Files.readAllBytes(secrets);
        AtomicReference<Path> seen = new AtomicReference<>();
        cli.editor = file -> {
            seen.set(file);
            try {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(file.getParent())));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        };
        cli.run("secrets", "edit", "prod");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.err.contains("no change"));
        assertArrayEquals(before, Files.readAllBytes(secrets), "unchanged content is not re-encrypted");
        assertFalse(Files.exists(seen.get()), "temp file removed");
        assertFalse(Files.exists(seen.get().getParent()), "temp dir removed");

        cli.editor = file -> append(file, "sentry_dsn: 'https://x'\n");
        cli.run("secrets", "edit", "prod");
        assertEquals(0, cli.exitCode, cli.toString());
        cli.run("secrets", "view", "prod");
        assertTrue(cli.out.endsWith("sentry_dsn: 'https://x'\n"), cli.out);
    }

    @Test
    void secretsEditRefusesInvalidYamlWithoutATerminal() throws Exception {
        Path secrets = ops.opsDir().resolve("environments/prod/secrets");
        byte[] before = Files.readAllBytes(secrets);
        cli.editor = file -> append(file, "broken: [\n");
        cli.run("secrets", "edit", "prod");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("your edit was discarded"), cli.err);
        assertArrayEquals(before, Files.readAllBytes(secrets));
    }

    @Test
    void editorFailureSavesNothing() throws Exception {
        Path secrets = ops.opsDir().resolve("environments/prod/secrets");
        byte[] before = Files.readAllBytes(secrets);
        cli.editor = file -> {
            append(file, "x: 1\n");
            throw new fr.gouv.data.catalogue.ops.OpsException("editor 'vi' exited with code 1; nothing was saved");
        };
        cli.run("secrets", "edit", "prod");
        assertEquals(1, cli.exitCode);
        assertArrayEquals(before, Files.readAllBytes(secrets));
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
