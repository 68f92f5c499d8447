package fr.gouv.data.catalogue.ops.internal.vault;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.fs.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File operations of {@code ansible-vault}: encrypt, decrypt, view and rekey. Every write is atomic,
 * and every check (readable, right format, right password) happens before anything is written.
 */
public final class VaultFiles {
    private final Vault vault;

    public VaultFiles(Vault vault) {
        this.vault = vault;
    }

    public static byte[] read(Path file) throws OpsException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OpsException(file + " does not exist; check the path");
        } catch (IOException e) {
            throw new OpsException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public static void write(Path file, byte[] content) throws OpsException {
        try {
            AtomicFile.write(file, content, AtomicFile.PRIVATE);
        } catch (IOException e) {
            throw new OpsException("cannot write " + file + ": " + e.getMessage() + " (the file is unchanged)");
        }
    }

    /** The encrypted form of {@code file}'s bytes; refuses data that is already encrypted. */
    public byte[] encrypt(Path file, VaultSecret secret) throws OpsException {
        byte[] plaintext = read(file);
        try {
            if (Vault.isEncrypted(plaintext)) {
                throw new VaultException(file + " is already vault-encrypted; use rekey to change its password");
            }
            return vault.encrypt(plaintext, secret);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    public Vault.Decrypted decrypt(Path file) throws OpsException {
        return vault.decrypt(read(file), file.toString());
    }

    /** Encrypts {@code file} with {@code newSecret}; the result is written only once decryption succeeded. */
    public byte[] rekey(Path file, VaultSecret newSecret) throws OpsException {
        Vault.Decrypted old = decrypt(file);
        try {
            return vault.encrypt(old.plaintext(), newSecret);
        } finally {
            Arrays.fill(old.plaintext(), (byte) 0);
        }
    }
}
