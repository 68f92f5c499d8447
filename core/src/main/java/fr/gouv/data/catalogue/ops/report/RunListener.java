package fr.gouv.data.catalogue.ops.report;

/** Progress of a play, called from the hosts' threads as each task ends. */
@FunctionalInterface
public interface RunListener {
    /** A listener that does nothing. */
    RunListener NONE = result -> { };

    /**
     * A task ended on a host.
     *
     * @param result how it ended
     */
    void taskEnded(TaskResult result);
}
