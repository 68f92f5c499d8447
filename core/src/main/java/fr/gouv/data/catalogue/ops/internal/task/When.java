package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.TemplateFilters;
import java.util.List;

/** A task that runs only where a variable's truth is as wanted (Ansible's {@code when: tls_enabled}). */
public record When(String variable, boolean wanted, Task task) implements ConditionalTask {
    @Override
    public List<fr.gouv.data.catalogue.ops.internal.remote.Command> probes(HostContext host) throws OpsException {
        Object value = host.variables().isDefined(variable) ? host.variables().get(variable) : null;
        return TemplateFilters.truth(value) == wanted ? task.probes(host) : List.of();
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Object value = host.variables().isDefined(variable) ? host.variables().get(variable) : null;
        if (TemplateFilters.truth(value) != wanted) {
            return Change.skip("skipped: " + (wanted ? "" : "not ") + variable);
        }
        return task.plan(host);
    }
}
