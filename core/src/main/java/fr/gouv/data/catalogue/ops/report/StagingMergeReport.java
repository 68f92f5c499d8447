package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * What merging a branch into staging did.
 *
 * @param branch the branch merged
 * @param kind how it was merged
 * @param before staging before
 * @param after staging after
 * @param pushed whether staging was pushed to the remote
 */
public record StagingMergeReport(String branch, Kind kind, CommitSummary before, CommitSummary after, boolean pushed) {
    /** How the branch went into staging. */
    public enum Kind {
        /** Staging already had every commit of the branch. */
        ALREADY_MERGED,
        /** Staging moved forward to the branch. */
        FAST_FORWARD,
        /** A merge commit {@code Merge branch 'B' into staging}. */
        MERGE_COMMIT
    }

    /**
     * What happened, for a console.
     *
     * @param remote the remote's name
     * @param pushAsked whether a push was asked
     * @param notPushedHint the line saying how to push, when no push was asked
     * @return two lines
     */
    public List<String> lines(String remote, boolean pushAsked, String notPushedHint) {
        String what = switch (kind) {
            case ALREADY_MERGED -> "already in staging, nothing to merge";
            case FAST_FORWARD -> "fast-forward";
            case MERGE_COMMIT -> "merge commit";
        };
        return List.of("staging: merged " + branch + " (" + what + "): " + before.id() + " -> " + after,
                pushed ? "pushed staging to " + remote : pushAsked ? "staging already up to date on " + remote : notPushedHint);
    }
}
