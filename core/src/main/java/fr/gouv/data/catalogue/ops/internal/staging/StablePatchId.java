package fr.gouv.data.catalogue.ops.internal.staging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The id {@code git patch-id --stable} gives one patch in git's diff format: each file's diff
 * hashed without whitespace, line numbers or blob ids, the files' hashes summed so that their order
 * does not count. Two commits with the same id make the same change, whatever their messages,
 * dates and parents.
 *
 * <p>It follows the command's reading of the text line by line, quirks included (a binary file
 * counts by its blob ids; a file with no hunks shares its hash with the next file), because an id
 * that differs from git's for some patches could not be checked against git's.
 */
final class StablePatchId {
    private static final int ID_LENGTH = Constants.OBJECT_ID_LENGTH;

    private final MessageDigest file = Constants.newMessageDigest();
    private final byte[] sum = new byte[ID_LENGTH];
    private long hashedLength;
    private int before = -1;
    private int after = -1;
    private boolean binary;
    private byte[] oldBlob = new byte[0];
    private byte[] newBlob = new byte[0];

    private StablePatchId() {
    }

    /** The patch id of {@code patch}; empty when it holds no change git would hash. */
    static Optional<ObjectId> of(byte[] patch) {
        StablePatchId id = new StablePatchId();
        int start = 0;
        while (start < patch.length) {
            int end = start;
            while (end < patch.length && patch[end] != '\n') {
                end++;
            }
            end = Math.min(end + 1, patch.length);
            if (!id.line(cString(patch, start, end))) {
                break;
            }
            start = end;
        }
        id.flushFile();
        return id.hashedLength == 0 ? Optional.empty() : Optional.of(ObjectId.fromRaw(id.sum));
    }

    /** Reads one line; false at the end of the patch. */
    private boolean line(byte[] line) {
        if (startsWith(line, "\\ ") && line.length > 12) {
            return true; // "\ No newline at end of file"
        }
        if (hashedLength == 0 && !startsWith(line, "diff ")) {
            return true;
        }
        if (before == -1) {
            if (startsWith(line, "GIT binary patch") || startsWith(line, "Binary files")) {
                binary = true;
                before = 0;
                file.update(oldBlob);
                file.update(newBlob);
                flushFile();
                return true;
            } else if (startsWith(line, "index ")) {
                readBlobIds(line);
                return true;
            } else if (startsWith(line, "--- ")) {
                before = 1;
                after = 1;
            } else if (line.length == 0 || !isAlpha(line[0])) {
                return false;
            }
        }
        if (binary) {
            if (startsWith(line, "diff ")) {
                binary = false;
                before = -1;
            }
            return true;
        }
        if (before == 0 && after == 0) {
            if (startsWith(line, "@@ -")) {
                readHunkHeader(line);
                return true;
            }
            if (!startsWith(line, "diff ")) {
                return false;
            }
            flushFile();
            before = -1;
            after = -1;
        }
        int first = at(line, 0);
        if (first == '-' || first == ' ') {
            before--;
        }
        if (first == '+' || first == ' ') {
            after--;
        }
        byte[] kept = new byte[line.length];
        int n = 0;
        for (byte b : line) {
            if (!isSpace(b)) {
                kept[n++] = b;
            }
        }
        hashedLength += n;
        file.update(kept, 0, n);
        return true;
    }

    /** Adds the file's hash to the sum, byte by byte with carry, lowest byte first. */
    private void flushFile() {
        byte[] hash = file.digest();
        int carry = 0;
        for (int i = 0; i < ID_LENGTH; i++) {
            carry += (sum[i] & 0xff) + (hash[i] & 0xff);
            sum[i] = (byte) carry;
            carry >>= 8;
        }
    }

    /** "index OLD..NEW[ MODE]": a binary file is known by these ids only. */
    private void readBlobIds(byte[] line) {
        int dots = indexOf(line, 0, "..".getBytes(StandardCharsets.US_ASCII));
        if (dots < 0) {
            return;
        }
        int end = indexOf(line, dots, " ".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            end = line.length - 1;
        }
        int from = "index ".length();
        oldBlob = Arrays.copyOfRange(line, from, Math.max(from, dots));
        newBlob = Arrays.copyOfRange(line, Math.min(dots + 2, end), end);
    }

    /** "@@ -A[,B] +C[,D] @@": the hunk's line counts tell where it ends; the numbers are not hashed. */
    private void readHunkHeader(byte[] line) {
        int q = 4;
        int n = digits(line, q);
        if (at(line, q + n) == ',') {
            q += n + 1;
            before = number(line, q);
            n = digits(line, q);
        } else {
            before = 1;
        }
        if (n == 0 || at(line, q + n) != ' ' || at(line, q + n + 1) != '+') {
            return;
        }
        int r = q + n + 2;
        n = digits(line, r);
        if (at(line, r + n) == ',') {
            r += n + 1;
            after = number(line, r);
        } else {
            after = 1;
        }
    }

    /** The line up to its first NUL, as the C string git reads it. */
    private static byte[] cString(byte[] text, int start, int end) {
        int stop = start;
        while (stop < end && text[stop] != 0) {
            stop++;
        }
        return Arrays.copyOfRange(text, start, stop);
    }

    private static int digits(byte[] line, int from) {
        int i = from;
        while (i < line.length && line[i] >= '0' && line[i] <= '9') {
            i++;
        }
        return i - from;
    }

    /** A leading number, as C's atoi reads it (no sign in hunk headers). */
    private static int number(byte[] line, int from) {
        int value = 0;
        for (int i = from; i < line.length && line[i] >= '0' && line[i] <= '9'; i++) {
            value = value * 10 + (line[i] - '0');
        }
        return value;
    }

    private static int at(byte[] line, int i) {
        return i < line.length ? line[i] : 0;
    }

    private static int indexOf(byte[] line, int from, byte[] what) {
        outer:
        for (int i = from; i + what.length <= line.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (line[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean startsWith(byte[] line, String prefix) {
        if (line.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Git's own ASCII classes, whatever the locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static boolean isAlpha(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }
}
