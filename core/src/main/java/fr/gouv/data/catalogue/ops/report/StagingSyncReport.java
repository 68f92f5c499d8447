package fr.gouv.data.catalogue.ops.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What recreating staging from another branch did, and what staging lost.
 *
 * @param from the branch staging was recreated from
 * @param base the commit staging now points to
 * @param lostCommits commits staging had and no longer has
 * @param lostBranches local branches those commits came from
 * @param pushed whether staging was force-pushed (with a lease)
 */
public record StagingSyncReport(String from, CommitSummary base, List<CommitSummary> lostCommits, List<String> lostBranches,
                                boolean pushed) {
    /**
     * Copies of the lists.
     *
     * @param from the branch staging was recreated from
     * @param base the commit staging now points to
     * @param lostCommits commits staging lost
     * @param lostBranches branches they came from
     * @param pushed whether staging was pushed
     */
    public StagingSyncReport {
        lostCommits = List.copyOf(lostCommits);
        lostBranches = List.copyOf(lostBranches);
    }

    /**
     * What happened and what staging loses, for a console.
     *
     * @param remote the remote's name
     * @param pushAsked whether a push was asked
     * @param mergeAgainHint how to merge a lost branch again
     * @param notPushedHint the line saying how to push, when no push was asked
     * @return the lines
     */
    public List<String> lines(String remote, boolean pushAsked, String mergeAgainHint, String notPushedHint) {
        List<String> lines = new ArrayList<>();
        lines.add("staging: recreated from " + remote + "/" + from + " at " + base);
        if (lostCommits.isEmpty()) {
            lines.add("staging loses no commit");
        } else {
            lines.add("staging loses " + lostCommits.size() + " commit(s):");
            lostCommits.forEach(c -> lines.add("  " + c));
            if (!lostBranches.isEmpty()) {
                lines.add("from branch(es): " + String.join(", ", lostBranches) + " (" + mergeAgainHint + ")");
            }
        }
        lines.add(pushed ? "pushed staging to " + remote + " (forced, with lease)"
                : pushAsked ? "staging already up to date on " + remote : notPushedHint);
        return lines;
    }
}
