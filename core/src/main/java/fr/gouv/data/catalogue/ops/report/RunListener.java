package fr.gouv.data.catalogue.ops.report;

/** Progress of a play, called from the hosts' threads as each task ends. */
public interface RunListener {
    RunListener NONE = result -> { };

    void taskEnded(TaskResult result);
}
