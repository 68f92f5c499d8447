package fr.gouv.data.catalogue.ops.internal.staging;

import fr.gouv.data.catalogue.ops.MergeConflictException;
import fr.gouv.data.catalogue.ops.RewrittenCommitsException;
import fr.gouv.data.catalogue.ops.StagingException;
import fr.gouv.data.catalogue.ops.report.CommitSummary;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.report.StagingSyncReport;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private StagingMergeReport merge(String branch, boolean push) throws Exception {
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
        StagingMergeReport r = merge(null, false);
        assertEquals(StagingMergeReport.Kind.FAST_FORWARD, r.kind());
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
        StagingMergeReport r = merge(null, true);
        assertEquals(StagingMergeReport.Kind.MERGE_COMMIT, r.kind());
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
        StagingMergeReport again = merge(null, true);
        assertEquals(StagingMergeReport.Kind.ALREADY_MERGED, again.kind());
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

    /** Refused even with --push, and nothing changed: working tree, current branch, local and remote staging. */
    private RewrittenCommitsException refusedAsRewritten() throws Exception {
        String before = git.state(work);
        String remoteStaging = git.originRev("staging");
        RewrittenCommitsException e = assertThrows(RewrittenCommitsException.class, () -> merge(null, true));
        assertEquals(before, git.state(work), "every ref (local staging included), HEAD and the working tree as before");
        assertEquals(remoteStaging, git.originRev("staging"), "remote staging untouched");
        assertEquals("feature", git.git(work, "rev-parse", "--abbrev-ref", "HEAD"));
        return e;
    }

    /** Author e-mail, author date (seconds) and subject, as git log reads them. */
    private String identity(String rev) throws Exception {
        return git.git(work, "log", "-1", "--format=%ae %at %s", rev);
    }

    private static String abbreviated(String id) {
        return id.substring(0, 10);
    }

    @Test
    void amendWithANewMessageIsDetectedByItsPatch() throws Exception {
        merge(null, true);
        String merged = git.rev(work, "feature");
        git.git(work, "commit", "-q", "--amend", "-m", "Add feature (rewritten)");
        String amended = git.rev(work, "feature");
        // the git command line: the same patch, another subject
        assertFalse(git.patchId(work, merged).isEmpty());
        assertEquals(git.patchId(work, merged), git.patchId(work, amended));
        assertFalse(identity(merged).equals(identity(amended)), identity(amended));

        RewrittenCommitsException e = refusedAsRewritten();
        assertEquals(List.of(new RewrittenCommitsException.Rewrite(
                new CommitSummary(abbreviated(merged), "Add feature"),
                new CommitSummary(abbreviated(amended), "Add feature (rewritten)"))), e.rewrites());
        assertTrue(e.getMessage().contains(abbreviated(merged) + " \"Add feature\" is now " + abbreviated(amended)
                + " \"Add feature (rewritten)\""), e.getMessage());
        assertTrue(e.getMessage().contains("rewritten since (rebase or amend)"), e.getMessage());
        assertTrue(e.getMessage().contains("catalogue-ops staging sync"), e.getMessage());
    }

    @Test
    void amendAddingAFileIsDetectedByItsAuthorDateAndSubject() throws Exception {
        merge(null, true);
        String merged = git.rev(work, "feature");
        Files.writeString(work.resolve("forgotten.txt"), "forgotten\n");
        git.git(work, "add", "forgotten.txt");
        git.git(work, "commit", "-q", "--amend", "--no-edit");
        String amended = git.rev(work, "feature");
        // the git command line: another patch, the same author, author date and subject
        assertFalse(git.patchId(work, merged).equals(git.patchId(work, amended)));
        assertEquals(identity(merged), identity(amended));

        RewrittenCommitsException e = refusedAsRewritten();
        assertEquals(List.of(new RewrittenCommitsException.Rewrite(
                new CommitSummary(abbreviated(merged), "Add feature"),
                new CommitSummary(abbreviated(amended), "Add feature"))), e.rewrites());
    }

    @Test
    void amendedContentIsDetected() throws Exception {
        merge(null, true);
        Files.writeString(work.resolve("feature.txt"), "feature 1, amended\n");
        git.git(work, "commit", "-q", "-a", "--amend", "--no-edit");
        RewrittenCommitsException e = refusedAsRewritten();
        assertEquals(1, e.rewrites().size());
        assertEquals("Add feature", e.rewrites().get(0).inStaging().subject());
    }

    @Test
    void rebasedCommitsAlreadyInStagingAreDetected() throws Exception {
        merge(null, true);
        String merged = git.rev(work, "feature");
        Path other = git.clone("master-dev");
        git.commit(other, "master.txt", "m\n", "Master moves on");
        git.git(other, "push", "-q", "origin", "master");
        git.git(work, "fetch", "-q", "origin");
        git.git(work, "rebase", "-q", "origin/master");
        String rebased = git.rev(work, "feature");
        assertEquals(git.rev(work, "origin/master"), git.git(work, "log", "-1", "--format=%P", rebased), "rebased");
        assertEquals(git.patchId(work, merged), git.patchId(work, rebased));
        assertEquals(identity(merged), identity(rebased));

        RewrittenCommitsException e = refusedAsRewritten();
        assertEquals(List.of(new RewrittenCommitsException.Rewrite(
                new CommitSummary(abbreviated(merged), "Add feature"),
                new CommitSummary(abbreviated(rebased), "Add feature"))), e.rewrites());
    }

    @Test
    void scriptedRewordWithANewAuthorDateIsDetectedByItsPatch() throws Exception {
        merge(null, true);
        String merged = git.rev(work, "feature");
        git.git(work, "commit", "-q", "--amend", "-m", "Feature, reworded", "--date=@1700000000 +0000");
        String reworded = git.rev(work, "feature");
        assertEquals("1700000000", git.git(work, "log", "-1", "--format=%at", reworded));
        assertFalse(git.git(work, "log", "-1", "--format=%at", merged).equals("1700000000"));
        assertEquals(git.patchId(work, merged), git.patchId(work, reworded));

        RewrittenCommitsException e = refusedAsRewritten();
        assertEquals(List.of(new RewrittenCommitsException.Rewrite(
                new CommitSummary(abbreviated(merged), "Add feature"),
                new CommitSummary(abbreviated(reworded), "Feature, reworded"))), e.rewrites());
    }

    @Test
    void commitsThatOnlyShareTheirAuthorSecondAreNoRewrite() throws Exception {
        String second = "--date=@1600000000 +0000";
        Path other = git.clone("scripted-other");
        git.git(other, "checkout", "-q", "-b", "other", "origin/staging");
        Files.writeString(other.resolve("other.txt"), "other\n");
        git.git(other, "add", "other.txt");
        git.git(other, "commit", "-q", "-m", "Scripted other", second);
        git.git(other, "push", "-q", "origin", "other:staging");
        git.git(work, "checkout", "-q", "-b", "scripted", "origin/master");
        Files.writeString(work.resolve("scripted.txt"), "scripted\n");
        git.git(work, "add", "scripted.txt");
        git.git(work, "commit", "-q", "-m", "Scripted mine", second);
        git.git(work, "fetch", "-q", "origin");
        // the git command line: one author, one second; other subjects, other patches
        String theirs = git.rev(work, "origin/staging");
        assertEquals(git.git(work, "log", "-1", "--format=%ae %at", theirs), git.git(work, "log", "-1", "--format=%ae %at", "scripted"));
        assertFalse(git.git(work, "log", "-1", "--format=%s", theirs).equals(git.git(work, "log", "-1", "--format=%s", "scripted")));
        assertFalse(git.patchId(work, theirs).equals(git.patchId(work, "scripted")));

        StagingMergeReport r = merge(null, true);
        assertEquals(StagingMergeReport.Kind.MERGE_COMMIT, r.kind());
        assertEquals(theirs + " " + git.rev(work, "scripted"), git.git(work, "log", "-1", "--format=%P", "origin/staging"));
    }

    @Test
    void newCommitsOnTopAreFine() throws Exception {
        merge(null, true);
        git.commit(work, "feature.txt", "feature 2\n", "Improve feature");
        assertEquals(StagingMergeReport.Kind.FAST_FORWARD, merge(null, true).kind());
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
        StagingSyncReport r;
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
            StagingSyncReport r = s.sync().push(true).call();
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
