package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;

/**
 * What a task would change on a host, found by probing: nothing, or a one-line summary, a diff
 * (may be empty) and the action that makes the change. The runner alone decides whether to apply
 * it (not in check mode), so check mode lives in one place.
 */
public record Change(String summary, String diff, Action action, boolean skipped) {
    /** The step that brings the host to the wanted state. */
    @FunctionalInterface
    public interface Action {
        void apply(HostContext host) throws OpsException;
    }

    private static final Change NONE = new Change(null, "", null, false);

    public static Change none() {
        return NONE;
    }

    public static Change of(String summary, Action action) {
        return new Change(summary, "", action, false);
    }

    public static Change of(String summary, String diff, Action action) {
        return new Change(summary, diff == null ? "" : diff, action, false);
    }

    /** The task does not apply to this host (a condition is false); {@code why} says which. */
    public static Change skip(String why) {
        return new Change(why, "", null, true);
    }

    public boolean isNone() {
        return action == null && !skipped;
    }
}
