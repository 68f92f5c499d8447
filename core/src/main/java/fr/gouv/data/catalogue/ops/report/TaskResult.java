package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;

/**
 * One task on one host: its status, what changed (or would, in check mode) and the diff, or why it
 * failed; and how long it took.
 */
public record TaskResult(String host, String task, TaskStatus status, String message, String diff, Duration duration,
                         boolean handler) {
}
