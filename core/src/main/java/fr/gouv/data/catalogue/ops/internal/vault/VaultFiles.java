package fr.gouv.data.catalogue.ops.internal.vault;

import fr.gouv.data.catalogue.ops.ConfigException;
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
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + " is a directory; give a file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + " does not exist; check the path");
        } catch (IOException e) {
            throw new OpsException("cannot read " + file + ": " + AtomicFile.reason(e));
        }
    }

    /** Writes atomically; a failure names the user's path and why, never the temporary file. */
    public static void write(Path file, byte[] content) throws OpsException {
        checkWritable(file);
        try {
            AtomicFile.write(file, content, AtomicFile.PRIVATE);
        } catch (IOException e) {
            throw new OpsException("cannot write " + file + ": " + AtomicFile.reason(e) + " (the file is unchanged)");
        }
    }

    /** Refuses a target that cannot be a file (a directory, a missing folder), so that several writes can be checked first. */
    public static void checkWritable(Path file) throws ConfigException {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new ConfigException("cannot write " + file + ": it is a directory; give a file name");
        }
        if (!Files.isDirectory(parent)) {
            throw new ConfigException("cannot write " + file + ": " + (Files.exists(parent)
                    ? parent + " is not a folder" : "folder " + parent + " does not exist; create it first"));
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
