package fr.gouv.data.catalogue.ops.internal.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultPasswordsTest {
    @TempDir
    Path dir;

    @Test
    void plainFileIsStrippedOfSurroundingWhitespaceLikeAnsible() throws Exception {
        Path f = Files.write(dir.resolve("pw"), " \tpass word \r\n\n".getBytes());
        try (VaultSecret s = VaultPasswords.fromFile("default", f)) {
            assertArrayEquals("pass word".getBytes(), s.password());
        }
    }

    @Test
    void executableFileIsRunAndOnlyLineBreaksAreStripped() throws Exception {
        Path f = Files.writeString(dir.resolve("pw.sh"), "#!/bin/sh\nprintf ' from script \\n'\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        try (VaultSecret s = VaultPasswords.fromFile("default", f)) {
            assertArrayEquals(" from script ".getBytes(), s.password());
        }
    }

    @Test
    void failingScriptIsAClearError() throws Exception {
        Path f = Files.writeString(dir.resolve("pw.sh"), "#!/bin/sh\nexit 3\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwx------"));
        VaultException e = assertThrows(VaultException.class, () -> VaultPasswords.fromFile("default", f));
        assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    }

    @Test
    void missingFileSaysHowToFixIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> VaultPasswords.fromFile("default", dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"));
        assertTrue(e.getMessage().contains("--vault-password-file"));
    }

    @Test
    void emptyPasswordIsRefused() throws Exception {
        Path f = Files.writeString(dir.resolve("pw"), "  \n");
        assertThrows(ConfigException.class, () -> VaultPasswords.fromFile("default", f));
    }

    @Test
    void vaultIdCarriesTheLabel() throws Exception {
        Files.writeString(dir.resolve("pw"), "x\n");
        assertEquals("prod", VaultPasswords.fromVaultId("prod@pw", dir, null).label());
        assertEquals("default", VaultPasswords.fromVaultId("pw", dir, null).label());
        assertEquals("dev", VaultPasswords.fromVaultId("dev@prompt", dir, q -> "typed".toCharArray()).label());
        assertThrows(ConfigException.class, () -> VaultPasswords.fromVaultId("dev@prompt", dir, q -> null));
        assertThrows(ConfigException.class, () -> VaultPasswords.fromVaultId("@pw", dir, null));
    }

    @Test
    void closeWipesThePassword() {
        VaultSecret s = new VaultSecret("default", "abc".getBytes(), "t");
        s.close();
        assertArrayEquals(new byte[3], s.password());
    }
}
