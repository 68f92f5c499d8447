package fr.gouv.data.catalogue.ops.internal.staging;

import fr.gouv.data.catalogue.ops.MergeConflictException;
import fr.gouv.data.catalogue.ops.RewrittenCommitsException;
import fr.gouv.data.catalogue.ops.StagingException;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code make ops-staging}, made safe: fetch, bring local staging to the remote's (fast-forward
 * only), refuse if commits already in staging were rewritten on the branch, merge the branch
 * (fast-forward when possible, else a merge commit naming it), optionally push.
 */
public final class StagingMerge {
    private static final String MASTER = "master";

    private final Staging staging;
    private String branch;
    private boolean push;

    StagingMerge(Staging staging) {
        this.staging = staging;
    }

    /** The branch to merge (default: the current branch). */
    public StagingMerge branch(String name) {
        this.branch = name;
        return this;
    }

    public StagingMerge push(boolean push) {
        this.push = push;
        return this;
    }

    public StagingMergeReport call() throws OpsException {
        staging.requireClean();
        String source = branch != null ? branch : staging.currentBranch();
        if (source == null) {
            throw new ConfigException("HEAD is detached: check out the branch to merge, or pass --branch NAME");
        }
        if (source.equals(staging.staging)) {
            throw new ConfigException("cannot merge " + source + " into itself; check out your branch or pass --branch NAME");
        }
        staging.fetch();
        ObjectId remoteStaging = staging.resolve(staging.remoteRef(staging.staging));
        if (remoteStaging == null) {
            throw new ConfigException(staging.remote + " has no branch " + staging.staging
                    + "; create it with: catalogue-ops staging sync --push");
        }
        ObjectId localStaging = staging.resolve(staging.stagingRef());
        ObjectId branchTip = branchTip(source);
        try (RevWalk walk = new RevWalk(staging.repo)) {
            ObjectId base = catchUp(walk, localStaging, remoteStaging);
            RevCommit ours = walk.parseCommit(base);
            RevCommit theirs = walk.parseCommit(branchTip);
            checkNotRewritten(source, ours, theirs);
            walk.reset();
            StagingMergeReport.Kind kind;
            ObjectId result;
            if (walk.isMergedInto(theirs, ours)) {
                kind = StagingMergeReport.Kind.ALREADY_MERGED;
                result = ours;
            } else if (walk.isMergedInto(ours, theirs)) {
                kind = StagingMergeReport.Kind.FAST_FORWARD;
                result = theirs;
            } else {
                kind = StagingMergeReport.Kind.MERGE_COMMIT;
                result = mergeCommit(ours, theirs, source);
            }
            staging.moveStaging(localStaging, result, false, "staging merge " + source);
            boolean pushed = push && staging.push(false, null);
            return new StagingMergeReport(source, kind, staging.summary(base), staging.summary(result), pushed);
        } catch (IOException e) {
            throw new StagingException("cannot read the history: " + e.getMessage(), e);
        }
    }

    private ObjectId branchTip(String source) throws StagingException, ConfigException {
        ObjectId local = staging.resolve(Constants.R_HEADS + source);
        if (local != null) {
            return local;
        }
        ObjectId remote = staging.resolve(staging.remoteRef(source));
        if (remote != null) {
            return remote;
        }
        throw new ConfigException("no branch '" + source + "' locally or on " + staging.remote + "; check the name");
    }

    /** Local staging, fast-forwarded to the remote's when behind; refused when they diverged. */
    private ObjectId catchUp(RevWalk walk, ObjectId local, ObjectId remote) throws IOException, StagingException {
        if (local == null) {
            return remote;
        }
        RevCommit l = walk.parseCommit(local);
        RevCommit r = walk.parseCommit(remote);
        if (walk.isMergedInto(l, r)) {
            return remote;
        }
        if (walk.isMergedInto(r, l)) {
            return local; // local staging is ahead: it already holds everything the remote has
        }
        throw new StagingException("local " + staging.staging + " and " + staging.remote + "/" + staging.staging
                + " have diverged; if your local commits on " + staging.staging + " are not needed, delete the local"
                + " branch (git branch -D " + staging.staging + ") and run again");
    }

    /** Refuses when commits already in staging were rewritten on the branch since (see {@link RewriteFinder}). */
    private void checkNotRewritten(String source, RevCommit ours, RevCommit theirs) throws IOException, StagingException {
        ObjectId master = staging.resolve(staging.remoteRef(MASTER));
        List<RewrittenCommitsException.Rewrite> rewrites = new RewriteFinder(staging.repo).find(ours, theirs, master);
        if (!rewrites.isEmpty()) {
            RewrittenCommitsException.Rewrite first = rewrites.get(0);
            throw new RewrittenCommitsException(rewrites.size() + " commit(s) of " + source + " already in "
                    + staging.staging + " were rewritten since (rebase or amend), e.g. " + first.inStaging().id()
                    + " \"" + first.inStaging().subject() + "\" is now " + first.onBranch().id() + " \""
                    + first.onBranch().subject() + "\"; staging must not get both versions. Either recreate staging"
                    + " (catalogue-ops staging sync --push) and merge again, or go back to the merged commits and add"
                    + " new commits on top instead", rewrites);
        }
    }

    private ObjectId mergeCommit(RevCommit ours, RevCommit theirs, String source) throws IOException, StagingException {
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(staging.repo, true);
        if (!merger.merge(ours, theirs)) {
            List<String> paths = new ArrayList<>(merger.getUnmergedPaths());
            if (merger.getFailingPaths() != null) {
                paths.addAll(merger.getFailingPaths().keySet());
            }
            paths.sort(null);
            throw new MergeConflictException(source + " conflicts with " + staging.staging + " in " + paths.size()
                    + " file(s): " + String.join(", ", paths) + "; nothing was changed. Merge " + staging.staging
                    + " into your branch and resolve them there, or recreate staging (catalogue-ops staging sync)", paths);
        }
        PersonIdent me = new PersonIdent(staging.repo);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(merger.getResultTreeId());
        commit.setParentIds(ours, theirs);
        commit.setAuthor(me);
        commit.setCommitter(me);
        commit.setMessage("Merge branch '" + source + "' into " + staging.staging + "\n");
        try (ObjectInserter inserter = staging.repo.newObjectInserter()) {
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }
}
