package fr.gouv.data.catalogue.ops.report;

/**
 * One record of a host's audit log ({@code deploy-history.jsonl}).
 *
 * @param host the inventory name of the host
 * @param at when it ended (UTC, ISO 8601)
 * @param event {@code deploy}, {@code rollback}, {@code lock taken over} or {@code lock released}
 * @param user who
 * @param from from where (machine name, or the CI build's URL)
 * @param ref the ref asked for, or the release rolled back to (may be empty)
 * @param commit the commit (may be empty)
 * @param release the release concerned (may be empty)
 * @param result how it ended, e.g. {@code deployed}, {@code failed}, {@code switched back}
 * @param durationMillis how long it took, in milliseconds
 * @param message details on one line (may be empty)
 */
public record HistoryEntry(String host, String at, String event, String user, String from, String ref, String commit,
                           String release, String result, long durationMillis, String message) {
}
