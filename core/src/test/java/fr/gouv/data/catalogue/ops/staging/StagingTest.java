package fr.gouv.data.catalogue.ops.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging operations on real repositories, each result read back with the git command line. */
class StagingTest {
    @TempDir
    Path tmp;
    GitFixture git;
    Path work;

    @BeforeEach
    void repos() throws Exception {
        git = new GitFixture(tmp);
        work = git.clone("work");
        git.git(work, "checkout", "-q", "-b", "feature");
        git.commit(work, "feature.txt", "feature 1\n", "Add feature");
    }

    private Staging open() throws Exception {
        return Staging.open(work, Map.of());
    }

    private StagingMerge.Report merge(String branch, boolean push) throws Exception {
        try (Staging s = open()) {
            return s.merge().branch(branch).push(push).call();
        }
    }

    /** Another developer pushes a branch into staging through their own clone. */
    private void otherDeveloperPushesToStaging(String file, String content) throws Exception {
        Path other = git.clone("other-" + file.replace('/', '-'));
        git.git(other, "checkout", "-q", "-b", "other", "origin/staging");
        git.commit(other, file, content, "Other work on " + file);
        git.git(other, "push", "-q", "origin", "other:staging", "other:other");
    }

    @Test
    void fastForwardLeavesTheWorkingTreeAndCurrentBranchAlone() throws Exception {
        StagingMerge.Report r = merge(null, false);
        assertEquals(StagingMerge.Kind.FAST_FORWARD, r.kind());
        assertEquals("feature", r.branch());
        assertEquals(git.rev(work, "feature"), git.rev(work, "staging"));
        assertEquals("feature", git.git(work, "rev-parse", "--abbrev-ref", "HEAD"));
        assertEquals("", git.git(work, "status", "--porcelain"));
        assertFalse(r.pushed());
        assertEquals(git.rev(work, "master"), git.originRev("staging"), "not pushed without --push");
    }

    @Test
    void divergedStagingGetsAMergeCommitNamingTheBranch() throws Exception {
        otherDeveloperPushesToStaging("other.txt", "other\n");
        StagingMerge.Report r = merge(null, true);
        assertEquals(StagingMerge.Kind.MERGE_COMMIT, r.kind());
        assertTrue(r.pushed());
        assertEquals("Merge branch 'feature' into staging", git.git(work, "log", "-1", "--format=%s", "staging"));
        String parents = git.git(work, "log", "-1", "--format=%P", "staging");
        assertEquals(git.rev(work, "origin/other") + " " + git.rev(work, "feature"), parents);
        assertEquals("feature 1", git.git(work, "show", "staging:feature.txt"));
        assertEquals("other", git.git(work, "show", "staging:other.txt"));
        assertEquals(git.rev(work, "staging"), git.originRev("staging"), "pushed");
        assertEquals("", git.git(work, "status", "--porcelain"));
        assertEquals("feature", git.git(work, "rev-parse", "--abbrev-ref", "HEAD"));
        // the git command line sees a sound repository
        git.git(work, "fsck", "--no-progress");
    }

    @Test
    void alreadyMergedIsANoOp() throws Exception {
        merge(null, true);
        StagingMerge.Report again = merge(null, true);
        assertEquals(StagingMerge.Kind.ALREADY_MERGED, again.kind());
        assertFalse(again.pushed());
    }

    @Test
    void conflictChangesNothingAndNamesThePaths() throws Exception {
        otherDeveloperPushesToStaging("feature.txt", "someone else's version\n");
        git.git(work, "fetch", "-q", "origin");
        git.git(work, "branch", "staging", "origin/staging~1");
        String before = git.state(work);
        MergeConflictException e = assertThrows(MergeConflictException.class, () -> merge(null, false));
        assertEquals(List.of("feature.txt"), e.paths());
        assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
        assertEquals(before, git.state(work), "every ref, HEAD and the working tree as before");
        assertFalse(Files.exists(work.resolve(".git/MERGE_HEAD")));
    }

    @Test
    void dirtyWorkingTreeIsRefused() throws Exception {
        Files.writeString(work.resolve("feature.txt"), "uncommitted\n");
        String before = git.state(work);
        StagingException e = assertThrows(StagingException.class, () -> merge(null, false));
        assertTrue(e.getMessage().contains("uncommitted changes (feature.txt)"), e.getMessage());
        assertEquals(before, git.state(work));
    }

    @Test
    void amendedCommitsAlreadyInStagingAreDetected() throws Exception {
        merge(null, true);
        Files.writeString(work.resolve("feature.txt"), "feature 1, amended\n");
        git.git(work, "commit", "-q", "-a", "--amend", "--no-edit");
        RewrittenCommitsException e = assertThrows(RewrittenCommitsException.class, () -> merge(null, false));
        assertEquals(1, e.rewrites().size());
        assertEquals("Add feature", e.rewrites().get(0).inStaging().subject());
        assertTrue(e.getMessage().contains("rewritten since (rebase or amend)"), e.getMessage());
        assertTrue(e.getMessage().contains("catalogue-ops staging sync"), e.getMessage());
        assertEquals(git.originRev("staging"), git.rev(work, "staging"), "staging untouched");
    }

    @Test
    void rebasedCommitsAlreadyInStagingAreDetected() throws Exception {
        merge(null, true);
        Path other = git.clone("master-dev");
        git.commit(other, "master.txt", "m\n", "Master moves on");
        git.git(other, "push", "-q", "origin", "master");
        git.git(work, "fetch", "-q", "origin");
        git.git(work, "rebase", "-q", "origin/master");
        RewrittenCommitsException e = assertThrows(RewrittenCommitsException.class, () -> merge(null, false));
        assertEquals("Add feature", e.rewrites().get(0).onBranch().subject());
    }

    @Test
    void newCommitsOnTopAreFine() throws Exception {
        merge(null, true);
        git.commit(work, "feature.txt", "feature 2\n", "Improve feature");
        assertEquals(StagingMerge.Kind.FAST_FORWARD, merge(null, true).kind());
        assertEquals(git.rev(work, "feature"), git.originRev("staging"));
    }

    @Test
    void mergesANamedBranchWhileStagingIsCheckedOut() throws Exception {
        git.git(work, "checkout", "-q", "-b", "staging", "origin/staging");
        merge("feature", false);
        assertEquals("staging", git.git(work, "rev-parse", "--abbrev-ref", "HEAD"));
        assertEquals("feature 1", Files.readString(work.resolve("feature.txt")).strip(), "the checked-out tree followed");
        assertEquals("", git.git(work, "status", "--porcelain"));
    }

    @Test
    void refusals() throws Exception {
        git.git(work, "checkout", "-q", "--detach");
        assertTrue(assertThrows(ConfigException.class, () -> merge(null, false)).getMessage().contains("HEAD is detached"));
        assertTrue(assertThrows(ConfigException.class, () -> merge("nope", false)).getMessage().contains("no branch 'nope'"));
        git.git(work, "checkout", "-q", "feature");
        git.git(work, "remote", "rename", "origin", "upstream");
        assertTrue(assertThrows(ConfigException.class, () -> merge(null, false)).getMessage()
                .contains("no remote 'origin' (remotes: upstream)"));
        assertTrue(assertThrows(ConfigException.class, () -> Staging.open(tmp, Map.of())).getMessage()
                .contains("not inside a git repository"));
    }

    @Test
    void divergedLocalStagingIsRefused() throws Exception {
        git.git(work, "branch", "staging", "origin/staging");
        git.git(work, "checkout", "-q", "staging");
        git.commit(work, "local.txt", "x\n", "Local staging commit");
        git.git(work, "checkout", "-q", "feature");
        otherDeveloperPushesToStaging("remote.txt", "y\n");
        StagingException e = assertThrows(StagingException.class, () -> merge(null, false));
        assertTrue(e.getMessage().contains("have diverged"), e.getMessage());
    }

    @Test
    void syncRecreatesStagingFromMasterAndSaysWhatIsLost() throws Exception {
        merge(null, true);
        otherDeveloperPushesToStaging("other.txt", "o\n");
        StagingSync.Report r;
        try (Staging s = open()) {
            r = s.sync().push(true).call();
        }
        assertTrue(r.pushed());
        assertEquals(git.rev(work, "origin/master"), git.rev(work, "staging"));
        assertEquals(git.rev(work, "master"), git.originRev("staging"));
        assertEquals(List.of("Other work on other.txt", "Add feature"),
                r.lostCommits().stream().map(CommitSummary::subject).toList());
        assertTrue(r.lostBranches().containsAll(List.of("feature", "other")), r.lostBranches().toString());
        assertEquals("feature", git.git(work, "rev-parse", "--abbrev-ref", "HEAD"));
    }

    @Test
    void syncRefusesToOverwriteARemoteThatMovedSinceTheFetch() throws Exception {
        merge(null, true);
        try (Staging s = open()) {
            StagingSync sync = s.sync().push(true);
            sync.afterFetch = () -> {
                try {
                    otherDeveloperPushesToStaging("late.txt", "pushed meanwhile\n");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            StagingException e = assertThrows(StagingException.class, sync::call);
            assertTrue(e.getMessage().contains("moved since it was fetched"), e.getMessage());
        }
        assertEquals("pushed meanwhile", git.git(tmp, "--git-dir", git.origin.toString(), "show", "staging:late.txt"),
                "the other developer's push survived");
    }

    @Test
    void syncCreatesStagingWhenTheRemoteHasNone() throws Exception {
        git.git(tmp, "--git-dir", git.origin.toString(), "branch", "-D", "staging");
        try (Staging s = open()) {
            StagingSync.Report r = s.sync().push(true).call();
            assertTrue(r.lostCommits().isEmpty());
            assertTrue(r.pushed());
        }
        assertEquals(git.rev(work, "origin/master"), git.originRev("staging"));
    }

    @Test
    void credentialsFromTheEnvironment() {
        assertEquals(null, GitCredentials.fromEnvironment(Map.of()));
        assertTrue(GitCredentials.fromEnvironment(Map.of(GitCredentials.TOKEN_VARIABLE, "t0k"))
                instanceof org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider);
    }
}
