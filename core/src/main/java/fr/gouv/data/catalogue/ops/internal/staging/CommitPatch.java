package fr.gouv.data.catalogue.ops.internal.staging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.MyersDiff;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.QuotedString;

/**
 * A commit's change against its first parent, written as {@code git diff-tree -p --full-index
 * --no-renames} writes it: the text {@link StablePatchId} hashes. JGit's own formatter differs
 * where patch ids look (it writes {@code ---}/{@code +++} lines for an empty file and for binaries,
 * and calls a lone carriage return binary), so the headers are written here and only the hunks
 * are JGit's.
 */
final class CommitPatch {
    /** Git calls a blob binary when a NUL is among its first 8000 bytes. */
    private static final int BINARY_PROBE = 8000;
    /** Git's core.bigFileThreshold: larger blobs are not diffed, like binaries. */
    private static final int BIG_FILE = 512 * 1024 * 1024;

    private final ObjectReader reader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final DiffFormatter hunks = new DiffFormatter(out);

    private CommitPatch(ObjectReader reader) {
        this.reader = reader;
        // Git's default algorithm: the closest JGit has to the hunks git would write.
        hunks.setDiffAlgorithm(MyersDiff.INSTANCE);
    }

    /** The patch of {@code commit} (a root commit adds its whole tree). */
    static byte[] of(ObjectReader reader, RevCommit commit) throws IOException {
        CommitPatch patch = new CommitPatch(reader);
        try (RevWalk walk = new RevWalk(reader); TreeWalk tree = new TreeWalk(reader)) {
            RevCommit c = walk.parseCommit(commit);
            if (c.getParentCount() == 0) {
                tree.addTree(new EmptyTreeIterator());
            } else {
                tree.addTree(new CanonicalTreeParser(null, reader, walk.parseCommit(c.getParent(0)).getTree()));
            }
            tree.addTree(new CanonicalTreeParser(null, reader, c.getTree()));
            tree.setRecursive(true);
            tree.setFilter(TreeFilter.ANY_DIFF);
            List<DiffEntry> entries = DiffEntry.scan(tree);
            for (DiffEntry entry : entries) {
                patch.write(entry);
            }
        }
        return patch.out.toByteArray();
    }

    private void write(DiffEntry e) throws IOException {
        DiffEntry.ChangeType type = e.getChangeType();
        String oldPath = type == DiffEntry.ChangeType.ADD ? e.getNewPath() : e.getOldPath();
        String newPath = type == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath();
        line("diff --git " + quoted("a/" + oldPath) + " " + quoted("b/" + newPath));
        switch (type) {
            case ADD -> line("new file mode " + mode(e.getNewMode()));
            case DELETE -> line("deleted file mode " + mode(e.getOldMode()));
            default -> {
                if (!e.getOldMode().equals(e.getNewMode())) {
                    line("old mode " + mode(e.getOldMode()));
                    line("new mode " + mode(e.getNewMode()));
                }
            }
        }
        if (e.getOldId().equals(e.getNewId())) {
            return; // the mode alone changed
        }
        line("index " + e.getOldId().name() + ".." + e.getNewId().name()
                + (e.getOldMode().equals(e.getNewMode()) ? " " + mode(e.getNewMode()) : ""));
        byte[] a = content(e.getOldMode(), e.getOldId());
        byte[] b = content(e.getNewMode(), e.getNewId());
        if (a == null || b == null) {
            line("Binary files " + side("a/", oldPath, type == DiffEntry.ChangeType.ADD) + " and "
                    + side("b/", newPath, type == DiffEntry.ChangeType.DELETE) + " differ");
            return;
        }
        RawText before = new RawText(a);
        RawText after = new RawText(b);
        EditList edits = MyersDiff.INSTANCE.diff(RawTextComparator.DEFAULT, before, after);
        if (edits.isEmpty()) {
            return;
        }
        line("--- " + side("a/", oldPath, type == DiffEntry.ChangeType.ADD));
        line("+++ " + side("b/", newPath, type == DiffEntry.ChangeType.DELETE));
        hunks.format(edits, before, after);
        hunks.flush();
    }

    /** The blob's bytes, a submodule's line, or null for what git does not diff as text. */
    private byte[] content(FileMode mode, AbbreviatedObjectId id) throws IOException {
        if (mode == FileMode.MISSING) {
            return new byte[0];
        }
        if (mode == FileMode.GITLINK) {
            return ("Subproject commit " + id.name() + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        ObjectLoader blob = reader.open(id.toObjectId(), Constants.OBJ_BLOB);
        if (blob.getSize() > BIG_FILE) {
            return null;
        }
        byte[] bytes = blob.getCachedBytes(BIG_FILE);
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        return bytes;
    }

    private static String side(String prefix, String path, boolean missing) {
        return missing ? DiffEntry.DEV_NULL : quoted(prefix + path);
    }

    /** As git prints modes: six octal digits. */
    private static String mode(FileMode mode) {
        return String.format("%06o", mode.getBits());
    }

    private static String quoted(String path) {
        return QuotedString.GIT_PATH.quote(path);
    }

    private void line(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
