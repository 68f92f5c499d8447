package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.ConditionalTask;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TaskFailure;
import java.util.List;

/**
 * A runtime task that applies only to the runtime a variable chooses: {@code python_runtime} is
 * {@code pyenv} (the original's, and the default) or {@code system} (Debian's packages); any other
 * value fails the host with what to write instead.
 */
record RuntimeChoice(String variable, String wanted, List<String> choices, Task task) implements ConditionalTask {
    RuntimeChoice {
        choices = List.copyOf(choices);
    }

    /** The variable's value on this host; the first choice when it is not set. */
    static String chosen(HostContext host, String variable, List<String> choices) throws OpsException {
        if (!host.variables().isDefined(variable)) {
            return choices.get(0);
        }
        String value = host.variables().getString(variable).strip();
        if (!choices.contains(value)) {
            throw new TaskFailure(variable + ": '" + value + "' is not a runtime this tool installs; write one of "
                    + String.join(", ", choices) + " in group_vars");
        }
        return value;
    }

    @Override
    public List<Command> probes(HostContext host) throws OpsException {
        try {
            return wanted.equals(chosen(host, variable, choices)) ? task.probes(host) : List.of();
        } catch (TaskFailure e) {
            return List.of();
        }
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        if (!wanted.equals(chosen(host, variable, choices))) {
            return Change.skip("skipped: " + variable + " is not " + wanted);
        }
        return task.plan(host);
    }
}
