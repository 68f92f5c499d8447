package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import fr.gouv.data.catalogue.ops.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code staging merge|sync} on repositories that are missing, odd or in the wrong state: usage
 * and configuration problems are exit 2, a refused operation exit 1, and the clone is unchanged.
 */
class StagingBadInputTest {
    @TempDir
    Path tmp;

    /** What to do to a fresh clone ({@code {git}/work}, on a feature branch) before the command. */
    interface Prepare {
        void apply(GitFixture git, Path work) throws Exception;
    }

    static Row staging(String name, Prepare prepare, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--repo";
        all[args.length + 1] = "{git}/work";
        return row(name, all).setup(c -> {
            GitFixture git = new GitFixture(Files.createDirectories(c.git()));
            Path work = git.clone("work");
            git.git(work, "checkout", "-q", "-b", "feature");
            git.commit(work, "f.txt", "f\n", "Add f");
            git.git(work, "fetch", "-q", "origin");
            prepare.apply(git, work);
            c.notes().put("git", git);
            c.notes().put("state", state(git, work));
        }).verify(r -> {
            GitFixture git = (GitFixture) r.ctx().notes().get("git");
            assertEquals(r.ctx().notes().get("state"), state(git, git.root.resolve("work")), "the clone changed\n" + r.cli());
        });
    }

    /** GitFixture.state, also for a detached HEAD (which has no symbolic ref). */
    static String state(GitFixture git, Path work) throws Exception {
        return git.git(work, "for-each-ref", "--format=%(refname) %(objectname)") + "\nHEAD "
                + git.git(work, "rev-parse", "HEAD") + " " + git.git(work, "rev-parse", "--abbrev-ref", "HEAD") + "\n"
                + git.git(work, "status", "--porcelain", "--untracked-files=all");
    }

    static List<Row> rows() {
        Prepare nothing = (git, work) -> { };
        return List.of(
                row("merge outside a repository", "staging", "merge").says("not inside a git repository", "--repo DIR"),
                row("sync outside a repository", "staging", "sync").says("not inside a git repository"),
                row("--repo that does not exist", "staging", "merge", "--repo", "/nonexistent/repo").says("not inside a git repository"),
                staging("no origin", (git, work) -> git.git(work, "remote", "remove", "origin"), "staging", "merge")
                        .says("no remote 'origin'", "remotes: none", "git remote add"),
                staging("unknown --remote", nothing, "staging", "merge", "--remote", "upstream").says("no remote 'upstream'", "origin"),
                staging("unknown --remote for sync", nothing, "staging", "sync", "--remote", "upstream").says("no remote 'upstream'"),
                staging("unknown --branch", nothing, "staging", "merge", "--branch", "nope").says("no branch 'nope'"),
                staging("detached HEAD", (git, work) -> git.git(work, "checkout", "-q", "--detach"), "staging", "merge")
                        .says("HEAD is detached", "--branch NAME"),
                staging("merge staging into itself", nothing, "staging", "merge", "--branch", "staging").says("into itself"),
                staging("origin has no staging branch", (git, work) -> {
                    git.git(work, "push", "-q", "origin", "--delete", "staging");
                    git.git(work, "fetch", "-q", "--prune", "origin");
                }, "staging", "merge").says("has no branch staging", "staging sync --push"),
                staging("sync --from a missing branch", nothing, "staging", "sync", "--from", "nope").says("has no branch nope", "--from"),
                staging("dirty working tree is refused", (git, work) -> Files.writeString(work.resolve("README.md"), "dirty\n"),
                        "staging", "merge").exit(1).says("uncommitted changes (README.md)", "commit or stash"),
                row("bare repository", "staging", "merge", "--repo", "{git}/origin.git").setup(c -> new GitFixture(Files.createDirectories(c.git())))
                        .says("bare repository"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
