package fr.gouv.data.catalogue.ops.internal.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal POSIX ustar archive writer, enough to carry a commit's files to a host's
 * {@code tar -x}: regular files and symlinks, names up to 255 bytes (prefix + name), owner 0,
 * a fixed time (the commit's), no extensions.
 */
public final class UstarWriter {
    private static final int BLOCK = 512;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long mtime;

    public UstarWriter(long mtimeSeconds) {
        this.mtime = mtimeSeconds;
    }

    public UstarWriter file(String path, int mode, byte[] content) {
        header(path, mode, content.length, '0', "");
        out.writeBytes(content);
        pad(content.length);
        return this;
    }

    public UstarWriter symlink(String path, String target) {
        if (target.getBytes(StandardCharsets.UTF_8).length > 100) {
            throw new IllegalArgumentException("symlink target longer than 100 bytes: " + path);
        }
        header(path, 0777, 0, '2', target);
        return this;
    }

    /** The archive, ended by its two zero blocks. */
    public byte[] finish() {
        out.writeBytes(new byte[2 * BLOCK]);
        return out.toByteArray();
    }

    private void header(String path, int mode, long size, char type, String link) {
        byte[] h = new byte[BLOCK];
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        String prefix = "";
        if (name.length > 100) {
            int cut = path.lastIndexOf('/', Math.min(path.length() - 1, 155));
            while (cut > 0 && (path.substring(cut + 1).getBytes(StandardCharsets.UTF_8).length > 100
                    || path.substring(0, cut).getBytes(StandardCharsets.UTF_8).length > 155)) {
                cut = path.lastIndexOf('/', cut - 1);
            }
            if (cut <= 0) {
                throw new IllegalArgumentException("path too long for a tar archive: " + path);
            }
            prefix = path.substring(0, cut);
            name = path.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
        }
        put(h, 0, 100, name);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] chk = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(chk, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.writeBytes(h);
    }

    private void pad(long size) {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.writeBytes(new byte[BLOCK - rest]);
        }
    }

    private static void put(byte[] h, int at, int len, byte[] value) {
        if (value.length > len) {
            throw new IllegalArgumentException("tar header field too long");
        }
        System.arraycopy(value, 0, h, at, value.length);
    }

    /** An octal number, zero-padded, NUL-terminated, filling the field. */
    private static void octal(byte[] h, int at, int len, long value) {
        String text = Long.toOctalString(value);
        if (text.length() > len - 1) {
            throw new IllegalArgumentException("tar header number too large: " + value);
        }
        String padded = "0".repeat(len - 1 - text.length()) + text;
        put(h, at, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
    }
}
