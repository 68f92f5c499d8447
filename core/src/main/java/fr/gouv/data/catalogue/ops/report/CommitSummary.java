package fr.gouv.data.catalogue.ops.report;


/**
 * A commit as a person reads it.
 *
 * @param id the abbreviated id (10 hex digits)
 * @param subject the first line of its message
 */
public record CommitSummary(String id, String subject) {
    /** {@code id subject}. */
    @Override
    public String toString() {
        return id + " " + subject;
    }
}
