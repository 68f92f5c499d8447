package fr.gouv.data.catalogue.ops;
import fr.gouv.data.catalogue.ops.report.CommitSummary;
import java.util.List;

/** Commits already merged into staging were rewritten (rebase, amend) on the branch since. */
public class RewrittenCommitsException extends StagingException {
    /** Every pair found. */
    private final List<Rewrite> rewrites;

    /**
     * A commit as staging has it, and the commit that replaced it on the branch.
     *
     * @param inStaging the commit staging has
     * @param onBranch the branch's commit that is the same change
     */
    public record Rewrite(CommitSummary inStaging, CommitSummary onBranch) {
    }

    /**
     * Rewritten commits were found.
     *
     * @param message the one-line message
     * @param rewrites every pair found
     */
    public RewrittenCommitsException(String message, List<Rewrite> rewrites) {
        super(message);
        this.rewrites = List.copyOf(rewrites);
    }

    /**
     * Every pair found.
     *
     * @return the pairs
     */
    public List<Rewrite> rewrites() {
        return rewrites;
    }
}
