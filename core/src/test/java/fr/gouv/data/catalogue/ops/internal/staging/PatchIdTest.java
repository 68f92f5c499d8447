package fr.gouv.data.catalogue.ops.internal.staging;

import fr.gouv.data.catalogue.ops.testing.GitFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Patch ids of real commits, each checked against {@code git patch-id --stable}. */
class PatchIdTest {
    @TempDir
    Path tmp;
    GitFixture git;
    Path work;

    @BeforeEach
    void repo() throws Exception {
        git = new GitFixture(tmp);
        work = git.clone("work");
    }

    private void write(String file, String content) throws Exception {
        write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    private void write(String file, byte[] content) throws Exception {
        Path f = work.resolve(file);
        Files.createDirectories(f.getParent());
        Files.write(f, content);
    }

    private static String lines(int from, int to, String tag) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append("line ").append(i).append(i % 7 == 0 ? " " + tag : "").append('\n');
        }
        return b.toString();
    }

    private String commit(String message) throws Exception {
        git.git(work, "add", "-A");
        git.git(work, "commit", "-q", "-m", message);
        return git.rev(work, "HEAD");
    }

    /** Ours, from the commit, and ours from git's own text, both equal to what git says. */
    private String checked(String rev) throws Exception {
        String expected = git.patchId(work, rev);
        assertEquals(expected, StablePatchId.of(git.patch(work, rev)).map(ObjectId::name).orElse(""),
                "git's text read as git reads it, " + rev);
        try (Repository repo = new FileRepositoryBuilder().setWorkTree(work.toFile()).setMustExist(true).build();
                ObjectReader reader = repo.newObjectReader();
                RevWalk walk = new RevWalk(reader)) {
            Optional<ObjectId> ours = StablePatchId.of(CommitPatch.of(reader, walk.parseCommit(repo.resolve(rev))));
            assertEquals(expected, ours.map(ObjectId::name).orElse(""), "the commit's patch, " + rev
                    + "\ngit:\n" + new String(git.patch(work, rev), StandardCharsets.UTF_8));
        }
        return expected;
    }

    @Test
    void sameIdsAsTheGitCommandLine() throws Exception {
        Set<String> ids = new HashSet<>();
        write("app/long.txt", lines(1, 60, "a"));
        write("app/no-newline.txt", "last line without newline");
        write("empty.txt", "");
        write("logo.bin", new byte[] {1, 0, 2, 3, 0, 4});
        write("old-mac.txt", "a lone\rcarriage return\n");
        write("caf\u00e9 menu.txt", "spaces and accents in the name\n");
        write("tabs.txt", "\tindented\n  two spaces\n");
        write("z-last.txt", "last\n");
        ids.add(checked(commit("Add files of every kind")));

        write("app/long.txt", lines(1, 3, "a") + "inserted\n" + lines(4, 40, "a") + lines(42, 60, "b"));
        write("app/no-newline.txt", "last line, now with a newline\n");
        write("empty.txt", "no longer empty\n");
        write("logo.bin", new byte[] {1, 0, 2, 3, 0, 5});
        write("tabs.txt", "  indented\n\ttwo spaces\n");
        Files.delete(work.resolve("z-last.txt"));
        git.git(work, "add", "-A");
        git.git(work, "update-index", "--chmod=+x", "caf\u00e9 menu.txt");
        ids.add(checked(commit("Change, delete, make executable")));

        git.git(work, "update-index", "--chmod=-x", "caf\u00e9 menu.txt");
        write("a-first.txt", "sorts before the mode change\n");
        write("caf\u00e9 menu.txt", "spaces and accents in the name\n");
        write("d.txt", "after the mode change\n");
        ids.add(checked(commit("A mode change followed by another file")));

        Files.delete(work.resolve("logo.bin"));
        write("z-after-binary.txt", "follows a binary file\n");
        ids.add(checked(commit("Delete a binary file, then a text file")));

        Files.createSymbolicLink(work.resolve("link"), Path.of("app/long.txt"));
        ids.add(checked(commit("A symbolic link")));

        assertEquals(5, ids.size(), "five changes, five ids: " + ids);
        assertFalse(ids.contains(""), ids.toString());
    }

    @Test
    void theSameChangeElsewhereInTheFileAndOtherwiseSpacedHasTheSameId() throws Exception {
        write("a.txt", lines(1, 20, "x"));
        commit("Base");
        git.git(work, "branch", "other");
        write("a.txt", lines(1, 20, "x").replace("line 10\n", "line 10 changed\n"));
        String here = commit("Change line 10");
        git.git(work, "checkout", "-q", "other");
        write("a.txt", "new first line\n" + lines(1, 20, "x"));
        commit("Unrelated first line");
        write("a.txt", "new first line\n" + lines(1, 20, "x").replace("line 10\n", "line   10\tchanged\n"));
        String there = commit("Change line 10, spaced otherwise");
        assertEquals(checked(here), checked(there));
        assertFalse(checked(here).isEmpty());
    }

    @Test
    void anEmptyCommitHasNoPatchId() throws Exception {
        git.git(work, "commit", "-q", "--allow-empty", "-m", "Nothing");
        assertEquals("", checked("HEAD"));
    }
}
