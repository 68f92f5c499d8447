package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import java.util.List;
import java.util.Set;

/**
 * One idempotent step, as in Ansible's module contract: {@link #plan} probes the host and says
 * what would change (nothing when it is already as wanted); the runner applies the change unless
 * in check mode. A second run of an applied task plans nothing.
 */
public interface Task {
    String name();

    Change plan(HostContext host) throws OpsException;

    /**
     * The commands {@link #plan} will run to probe the host, if it can tell before: the runner
     * runs every task's probes in one command at the start, so that a run where nothing differs
     * costs one round trip. Optional: a task that lists none probes on its own.
     */
    default List<fr.gouv.data.catalogue.ops.internal.remote.Command> probes(HostContext host) throws OpsException {
        return List.of();
    }

    /** Tags for {@code --tags}; a task without tags runs whatever the tags asked. */
    default Set<String> tags() {
        return Set.of();
    }

    /** Handlers to run once at the end of the play when this task changed something. */
    default List<String> notifies() {
        return List.of();
    }
}
