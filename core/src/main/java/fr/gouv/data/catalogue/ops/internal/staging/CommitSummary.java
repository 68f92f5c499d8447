package fr.gouv.data.catalogue.ops.internal.staging;

import org.eclipse.jgit.revwalk.RevCommit;

/** A commit as a person reads it: abbreviated id and subject. */
public record CommitSummary(String id, String subject) {
    static CommitSummary of(RevCommit c) {
        return new CommitSummary(c.getId().abbreviate(10).name(), c.getShortMessage());
    }

    @Override
    public String toString() {
        return id + " " + subject;
    }
}
