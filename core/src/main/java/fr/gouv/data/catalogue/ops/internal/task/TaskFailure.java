package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;

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
     * the one way every probe parser says so, naming the host and quoting the answer (its output,
     * or its errors when it printed nothing) on one line.
     */
    public static TaskFailure unexpectedAnswer(Command command, ExecResult answer) {
        String text = answer.stdout().isBlank() ? answer.stderr() : answer.stdout();
        String oneLine = text.strip().replaceAll("\\s+", " ");
        if (oneLine.isEmpty()) {
            oneLine = "(nothing)";
        } else if (oneLine.length() > QUOTED_ANSWER) {
            oneLine = oneLine.substring(0, QUOTED_ANSWER) + "...";
        }
        return new TaskFailure("unexpected answer from `" + command + "` on " + answer.host() + ": " + oneLine);
    }

    public boolean aborted() {
        return aborted;
    }
}
