package fr.gouv.data.catalogue.ops;
import fr.gouv.data.catalogue.ops.report.CommitSummary;
import java.util.List;

/** Commits already merged into staging were rewritten (rebase, amend) on the branch since. */
public class RewrittenCommitsException extends StagingException {
    private final List<Rewrite> rewrites;

    /** A commit as staging has it, and the commit that replaced it on the branch. */
    public record Rewrite(CommitSummary inStaging, CommitSummary onBranch) {
    }

    public RewrittenCommitsException(String message, List<Rewrite> rewrites) {
        super(message);
        this.rewrites = List.copyOf(rewrites);
    }

    public List<Rewrite> rewrites() {
        return rewrites;
    }
}
