package fr.gouv.data.catalogue.ops.internal.staging;
import fr.gouv.data.catalogue.ops.RewrittenCommitsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Finds the commits staging has (and master does not) that a different commit of the branch
 * replaced: the same change, rebased, amended or reworded after it went to staging.
 *
 * <p>Two signs, either one enough. The same patch ({@code git patch-id --stable}) survives a new
 * message, a new date and a rebase, not a change of content. The same author, author date and
 * subject survive a change of content (git keeps them through an amend or a rebase), not a new
 * subject. An author and a second alone are no sign: scripted commits share them without being
 * the same change. An amend that changes both the content and the subject leaves neither sign.
 */
final class RewriteFinder {
    private static final int HISTORY_LIMIT = 2000;

    private final Repository repo;

    RewriteFinder(Repository repo) {
        this.repo = repo;
    }

    /** Pairs of (commit in staging, its replacement on the branch); {@code master} may be null. */
    List<RewrittenCommitsException.Rewrite> find(ObjectId staging, ObjectId branch, ObjectId master) throws IOException {
        List<RevCommit> inStaging = commits(staging, branch, master);
        if (inStaging.isEmpty()) {
            return List.of();
        }
        Map<String, RevCommit> byIdentity = new HashMap<>();
        Map<ObjectId, RevCommit> byPatch = new HashMap<>();
        List<RewrittenCommitsException.Rewrite> rewrites = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader()) {
            for (RevCommit c : commits(branch, staging, null)) {
                byIdentity.putIfAbsent(identity(c), c);
                patchId(reader, c).ifPresent(id -> byPatch.putIfAbsent(id, c));
            }
            for (RevCommit c : inStaging) {
                RevCommit replacement = byIdentity.get(identity(c));
                if (replacement == null) {
                    replacement = patchId(reader, c).map(byPatch::get).orElse(null);
                }
                if (replacement != null) {
                    rewrites.add(new RewrittenCommitsException.Rewrite(Staging.summaryOf(c), Staging.summaryOf(replacement)));
                }
            }
        }
        return rewrites;
    }

    /** Commits of {@code tip} that none of {@code without} has, newest first, merges left out. */
    private List<RevCommit> commits(ObjectId tip, ObjectId without, ObjectId alsoWithout) throws IOException {
        List<RevCommit> found = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(tip));
            walk.markUninteresting(walk.parseCommit(without));
            if (alsoWithout != null) {
                walk.markUninteresting(walk.parseCommit(alsoWithout));
            }
            int n = 0;
            for (RevCommit c : walk) {
                if (++n > HISTORY_LIMIT) {
                    break;
                }
                // a merge brings other commits' changes, which are compared one by one
                if (c.getParentCount() <= 1) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    private static Optional<ObjectId> patchId(ObjectReader reader, RevCommit c) throws IOException {
        return StablePatchId.of(CommitPatch.of(reader, c));
    }

    private static String identity(RevCommit c) {
        PersonIdent author = c.getAuthorIdent();
        return author.getEmailAddress() + '\0' + author.getWhenAsInstant().getEpochSecond() + '\0' + c.getShortMessage();
    }
}
