package fr.gouv.data.catalogue.ops.internal.staging;

import fr.gouv.data.catalogue.ops.StagingException;
import fr.gouv.data.catalogue.ops.report.CommitSummary;
import fr.gouv.data.catalogue.ops.report.StagingSyncReport;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code make ops-staging-sync}, made safe: recreate staging from the remote's master, say which
 * branches and commits staging loses, and push with a lease (refused if the remote moved).
 */
public final class StagingSync {
    private static final Pattern MERGED_BRANCH = Pattern.compile("^Merge (?:remote-tracking )?branch '([^']+)'");
    private static final int LIST_LIMIT = 500;

    private final Staging staging;
    private String from = "master";
    private boolean push;
    /** Runs between the fetch and the push; tests use it to move the remote meanwhile. */
    Runnable afterFetch = () -> { };

    StagingSync(Staging staging) {
        this.staging = staging;
    }

    public StagingSync from(String branch) {
        this.from = branch;
        return this;
    }

    public StagingSync push(boolean push) {
        this.push = push;
        return this;
    }

    public StagingSyncReport call() throws OpsException {
        staging.requireClean();
        staging.fetch();
        afterFetch.run();
        ObjectId base = staging.resolve(staging.remoteRef(from));
        if (base == null) {
            throw new ConfigException(staging.remote + " has no branch " + from + "; pass --from BRANCH");
        }
        ObjectId remoteStaging = staging.resolve(staging.remoteRef(staging.staging));
        ObjectId localStaging = staging.resolve(staging.stagingRef());
        try (RevWalk walk = new RevWalk(staging.repo)) {
            List<CommitSummary> lost = new ArrayList<>();
            Set<ObjectId> lostIds = new LinkedHashSet<>();
            Set<String> branches = new LinkedHashSet<>();
            if (remoteStaging != null || localStaging != null) {
                for (ObjectId tip : new ObjectId[] {remoteStaging, localStaging}) {
                    if (tip != null) {
                        walk.markStart(walk.parseCommit(tip));
                    }
                }
                walk.markUninteresting(walk.parseCommit(base));
                for (RevCommit c : walk) {
                    lostIds.add(c.copy());
                    if (lost.size() < LIST_LIMIT) {
                        lost.add(Staging.summaryOf(c));
                    }
                    Matcher m = MERGED_BRANCH.matcher(c.getShortMessage());
                    if (m.find()) {
                        branches.add(m.group(1));
                    }
                }
            }
            branches.addAll(branchesAt(lostIds));
            branches.remove(staging.staging);
            staging.moveStaging(localStaging, base, true, "staging sync from " + staging.remote + "/" + from);
            boolean pushed = push && staging.push(true, remoteStaging);
            return new StagingSyncReport(from, staging.summary(base), lost, List.copyOf(branches), pushed);
        } catch (IOException e) {
            throw new StagingException("cannot read the history: " + e.getMessage(), e);
        }
    }

    /** Branches (local or the remote's) whose tip is one of the commits staging loses. */
    private List<String> branchesAt(Set<ObjectId> lost) throws IOException {
        List<String> names = new ArrayList<>();
        String remotePrefix = Constants.R_REMOTES + staging.remote + "/";
        for (Ref ref : staging.repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, remotePrefix)) {
            if (ref.getObjectId() != null && lost.contains(ref.getObjectId())) {
                String name = ref.getName().startsWith(remotePrefix)
                        ? ref.getName().substring(remotePrefix.length())
                        : ref.getName().substring(Constants.R_HEADS.length());
                if (!name.equals("HEAD") && !names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
