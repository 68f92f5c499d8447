package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;

/** A task could not reach its state on a host; the message says what failed and, where known, what to do. */
public class TaskFailure extends OpsException {
    public TaskFailure(String message) {
        super(message);
    }
}
