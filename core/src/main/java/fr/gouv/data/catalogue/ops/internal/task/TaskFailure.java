package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;

/** A task could not reach its state on a host; the message says what failed and, where known, what to do. */
public class TaskFailure extends OpsException {
    /** How much of an unreadable answer a message quotes: enough to recognize it, one line. */
    static final int QUOTED_ANSWER = 200;

    private final boolean aborted;

    public TaskFailure(String message) {
        this(message, false);
    }

    private TaskFailure(String message, boolean aborted) {
        super(message);
        this.aborted = aborted;
    }

    /** The run was aborted while the task waited or worked: the runner reports the task aborted, not failed. */
    public static TaskFailure aborted(String message) {
        return new TaskFailure(message, true);
    }

    /**
     * A probe answered something its task cannot read (another tool's version, a wrapper's noise):
     * the one way every probe parser says so, quoting the answer on one line.
     */
    public static TaskFailure unexpectedAnswer(Command command, String host, String answer) {
        String oneLine = answer.strip().replaceAll("\\s+", " ");
        if (oneLine.isEmpty()) {
            oneLine = "(nothing)";
        } else if (oneLine.length() > QUOTED_ANSWER) {
            oneLine = oneLine.substring(0, QUOTED_ANSWER) + "...";
        }
        return new TaskFailure("unexpected answer from `" + command + "` on " + host + ": " + oneLine);
    }

    public boolean aborted() {
        return aborted;
    }
}
