package fr.gouv.data.catalogue.ops.internal.vault;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Edits a vault file: the plain text goes to a private temporary file (mode 0600 in a 0700 directory),
 * the user's editor opens it, and the file is re-encrypted only if the content changed. The temporary
 * file is overwritten with zeros and removed whatever happens, including on Ctrl-C.
 */
public final class VaultEditor {

    /** Opens a file in an editor and returns when the editor exits. */
    public interface Editor {
        void open(Path file) throws OpsException;
    }

    /** Rejects content that must not be saved (for instance a secrets file that is not a YAML map). */
    public interface ContentCheck {
        void check(byte[] content) throws ConfigException;
    }

    /** Asked when the content was rejected: true to open the editor again on the same text. */
    public interface Retry {
        boolean again(String problem);
    }

    public enum Outcome { UNCHANGED, SAVED }

    private final Vault vault;
    private final Editor editor;

    public VaultEditor(Vault vault, Editor editor) {
        this.vault = vault;
        this.editor = editor;
    }

    /** The editor of {@code $VISUAL}, else {@code $EDITOR}, else {@code vi}; may carry arguments. */
    public static Editor fromEnvironment(Map<String, String> env) {
        String command = firstSet(env.get("VISUAL"), env.get("EDITOR"), "vi");
        return file -> {
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", command + " \"$1\"", "sh", file.toString())
                    .inheritIO();
            try {
                int code = builder.start().waitFor();
                if (code != 0) {
                    throw new OpsException("editor '" + command + "' exited with code " + code + "; nothing was saved");
                }
            } catch (IOException e) {
                throw new OpsException("cannot start editor '" + command + "': " + e.getMessage()
                        + "; set $EDITOR");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpsException("interrupted while editing; nothing was saved");
            }
        };
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        throw new IllegalStateException();
    }

    public Outcome edit(Path vaultFile, String encryptVaultId, ContentCheck check, Retry retry) throws OpsException {
        Vault.Decrypted original = new VaultFiles(vault).decrypt(vaultFile);
        VaultSecret secret = encryptVaultId != null ? vault.encryptionSecret(encryptVaultId) : original.secret();
        Path dir = null;
        Path plain = null;
        Thread wiper = null;
        try {
            dir = Files.createTempDirectory("catalogue-ops-edit-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            plain = Files.createFile(dir.resolve(vaultFile.getFileName().toString()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(plain, original.plaintext(), StandardOpenOption.TRUNCATE_EXISTING);
            wiper = wiperFor(dir, plain);
            Runtime.getRuntime().addShutdownHook(wiper);
            while (true) {
                editor.open(plain);
                byte[] edited = readEdited(plain, vaultFile);
                if (Arrays.equals(edited, original.plaintext())) {
                    return Outcome.UNCHANGED;
                }
                try {
                    if (check != null) {
                        check.check(edited);
                    }
                } catch (ConfigException rejected) {
                    if (retry != null && retry.again(rejected.getMessage())) {
                        continue;
                    }
                    throw new ConfigException(rejected.getMessage() + "; your edit was discarded and "
                            + vaultFile + " is unchanged");
                }
                VaultFiles.write(vaultFile, vault.encrypt(edited, secret));
                Arrays.fill(edited, (byte) 0);
                return Outcome.SAVED;
            }
        } catch (IOException e) {
            throw new OpsException("cannot prepare the temporary file to edit " + vaultFile + ": "
                    + fr.gouv.data.catalogue.ops.internal.fs.AtomicFile.reason(e) + "; nothing was saved");
        } finally {
            Arrays.fill(original.plaintext(), (byte) 0);
            wipe(dir, plain);
            if (wiper != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(wiper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
        }
    }

    /** The edited bytes, refusing what an editor may leave instead of the file it was given. */
    private static byte[] readEdited(Path plain, Path vaultFile) throws OpsException {
        String unchanged = "; nothing was saved and " + vaultFile + " is unchanged";
        if (!Files.exists(plain, LinkOption.NOFOLLOW_LINKS)) {
            throw new OpsException("the editor removed the file it was given (" + plain.getFileName() + ")" + unchanged);
        }
        if (Files.isSymbolicLink(plain)) {
            // reading through the link would encrypt whatever it points at into the vault
            throw new OpsException("the editor replaced the file with a symbolic link" + unchanged);
        }
        if (!Files.isRegularFile(plain, LinkOption.NOFOLLOW_LINKS)) {
            throw new OpsException("the editor replaced the file with something that is not a file" + unchanged);
        }
        try {
            return Files.readAllBytes(plain);
        } catch (IOException e) {
            throw new OpsException("cannot read the edited file: " + fr.gouv.data.catalogue.ops.internal.fs.AtomicFile.reason(e)
                    + unchanged);
        }
    }

    private static Thread wiperFor(Path dir, Path plain) {
        return new Thread(() -> wipe(dir, plain), "catalogue-ops-wipe-edit");
    }

    /**
     * Overwrites the plain text with zeros before removing it, so no secret lingers on disk; the
     * editor's swap and backup files too. Links are removed, never followed (an editor, or someone
     * else, may have put a link where the file was).
     */
    static void wipe(Path dir, Path plain) {
        if (dir == null) {
            return;
        }
        List<Path> entries;
        try (var walk = Files.walk(dir)) {
            entries = walk.sorted(java.util.Comparator.reverseOrder()).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            entries = plain == null ? List.of(dir) : List.of(plain, dir);
        }
        for (Path p : entries) {
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                zero(p);
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // nothing more we can do; the directory is private to this user
            }
        }
    }

    private static void zero(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            ByteBuffer zeros = ByteBuffer.allocate(8192);
            for (long written = 0; written < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
                written += channel.write(zeros, written);
            }
            channel.force(true);
        } catch (IOException ignored) {
            // deletion still removes the name
        }
    }
}
