package fr.gouv.data.catalogue.ops.internal.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file's content all at once: the new bytes go to a temporary file in the same
 * directory (private mode from the start), are flushed to disk, then renamed over the target.
 * A reader sees the old content or the new one, never a mix; a crash leaves the old file intact.
 * An existing file keeps its mode and owner.
 */
public final class AtomicFile {
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFile() {
    }

    /**
     * Why an I/O operation on the user's path failed, in words, without the path: the JDK's messages
     * name whichever file failed (often our temporary file) or nothing but that file.
     */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "folder not empty";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8";
        }
        String message = e.getMessage();
        return message == null ? "input/output error" : message.replaceAll("\\s+", " ").strip();
    }

    /** Writes {@code content}; a new file gets {@code modeIfNew}, an existing one keeps its mode and owner. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> modeIfNew) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        PosixFileAttributes existing = Files.exists(target)
                ? Files.readAttributes(target, PosixFileAttributes.class) : null;
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            if (existing != null) {
                view.setPermissions(existing.permissions());
                if (!existing.owner().equals(view.getOwner()) || !existing.group().equals(view.readAttributes().group())) {
                    try {
                        view.setOwner(existing.owner());
                        view.setGroup(existing.group());
                    } catch (IOException notPermitted) {
                        // Only root may give a file away; a user editing their own file keeps ownership anyway.
                    }
                }
            } else {
                view.setPermissions(modeIfNew);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
