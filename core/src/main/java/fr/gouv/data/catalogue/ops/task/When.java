package fr.gouv.data.catalogue.ops.task;

import fr.gouv.data.catalogue.ops.OpsException;
import java.util.List;
import java.util.Set;

/** A task that runs only where a variable's truth is as wanted (Ansible's {@code when: tls_enabled}). */
public record When(String variable, boolean wanted, Task task) implements Task {
    /** Ansible's bool filter: yes/true/on/1 are true. */
    static boolean truth(Object value) {
        return value != null && List.of("yes", "true", "on", "1", "y").contains(String.valueOf(value).strip().toLowerCase());
    }

    @Override
    public String name() {
        return task.name();
    }

    @Override
    public Set<String> tags() {
        return task.tags();
    }

    @Override
    public List<String> notifies() {
        return task.notifies();
    }

    @Override
    public List<fr.gouv.data.catalogue.ops.remote.Command> probes(HostContext host) throws OpsException {
        Object value = host.variables().isDefined(variable) ? host.variables().get(variable) : null;
        return truth(value) == wanted ? task.probes(host) : List.of();
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Object value = host.variables().isDefined(variable) ? host.variables().get(variable) : null;
        if (truth(value) != wanted) {
            return Change.skip("skipped: " + (wanted ? "" : "not ") + variable);
        }
        return task.plan(host);
    }
}
