package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testing.GitFixture;
import hudson.AbortException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** catalogueStaging on a private copy of the workspace's clone: merged and pushed, the workspace left as it was. */
class CatalogueStagingStepTest {
    @TempDir
    Path tmp;

    @Test
    void mergeThenSyncPushAndLeaveTheWorkspaceAlone() throws Exception {
        GitFixture git = new GitFixture(tmp);
        Path work = git.clone("work");
        git.git(work, "checkout", "-q", "-b", "feature");
        git.commit(work, "f.txt", "f\n", "Add f");
        String head = git.rev(work, "HEAD");
        try (TestContext ctx = new TestContext(work).install()) {
            Map<String, Object> merged = new CatalogueStagingStep.Execution(PipelineArguments.instantiate(CatalogueStagingStep.class,
                    Map.of("action", "merge", "branch", "feature")), ctx).run();
            assertEquals("fast_forward", merged.get("kind"), ctx.log());
            assertEquals(true, merged.get("pushed"));
            assertEquals(git.rev(work, "feature"), git.originRev("staging"));
            assertTrue(ctx.log().contains("staging: merged feature (fast-forward): "), ctx.log());
            assertEquals(head, git.rev(work, "HEAD"), "the workspace is left as it was");
            assertFalse(git.git(work, "branch", "--list", "staging").contains("staging"), "no staging branch made in the workspace");

            Map<String, Object> synced = new CatalogueStagingStep.Execution(PipelineArguments.instantiate(CatalogueStagingStep.class,
                    Map.of("action", "sync")), ctx).run();
            assertEquals(1, ((List<?>) synced.get("lost_commits")).size(), ctx.log());
            assertEquals(List.of("feature"), synced.get("lost_branches"));
            assertEquals(git.originRev("master"), git.originRev("staging"));
            assertTrue(ctx.log().contains("merge them again with catalogueStaging action: 'merge'"), ctx.log());

            AbortException bad = assertThrows(AbortException.class, () -> new CatalogueStagingStep.Execution(
                    PipelineArguments.instantiate(CatalogueStagingStep.class, Map.of("action", "rebase")), ctx).run());
            assertEquals("catalogueStaging: action must be 'merge' or 'sync' (got rebase)", bad.getMessage());
            AbortException noBranch = assertThrows(AbortException.class, () -> new CatalogueStagingStep.Execution(
                    PipelineArguments.instantiate(CatalogueStagingStep.class, Map.of("action", "merge")), ctx).run());
            assertTrue(noBranch.getMessage().startsWith("catalogueStaging: action 'merge' needs branch"), noBranch.getMessage());
            AbortException noRepo = assertThrows(AbortException.class, () -> new CatalogueStagingStep.Execution(
                    PipelineArguments.instantiate(CatalogueStagingStep.class, Map.of("action", "sync", "repo", "nope")), ctx).run());
            assertTrue(noRepo.getMessage().startsWith("repo 'nope' is not in the workspace"), noRepo.getMessage());
        }
    }

    @Test
    void aCloneWithEveryRefPackedAsJenkinsLeavesItAfterAGcIsMergedToo() throws Exception {
        // The git plugin checks out a detached commit; after a gc every ref is in packed-refs and the
        // refs folders are empty, which a copy of files only does not bring along.
        GitFixture git = new GitFixture(tmp);
        Path work = git.clone("work");
        git.git(work, "checkout", "-q", "-b", "feature");
        git.commit(work, "f.txt", "f\n", "Add f");
        git.git(work, "checkout", "-q", "--detach");
        git.git(work, "branch", "-q", "-D", "master");
        git.git(work, "remote", "set-head", "origin", "-d");
        git.git(work, "gc", "-q", "--prune=now");
        try (java.util.stream.Stream<Path> refs = java.nio.file.Files.walk(work.resolve(".git/refs"))) {
            assertTrue(refs.noneMatch(java.nio.file.Files::isRegularFile), "every ref is packed");
        }
        try (TestContext ctx = new TestContext(work).install()) {
            Map<String, Object> merged = new CatalogueStagingStep.Execution(PipelineArguments.instantiate(CatalogueStagingStep.class,
                    Map.of("action", "merge", "branch", "feature")), ctx).run();
            assertEquals(true, merged.get("pushed"), ctx.log());
            assertEquals(git.rev(work, "feature"), git.originRev("staging"));
        }
    }
}
