package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.util.List;

/**
 * A handler: reload (or restart) a service, after checking its configuration when a check
 * command is given (e.g. {@code nginx -t}), so that a broken file never takes the service down.
 */
public record ServiceAction(String service, String action, List<String> configCheck) implements Task {
    public ServiceAction {
        if (!List.of("reload", "restart").contains(action) || !service.matches("[a-zA-Z0-9@._-]+")) {
            throw new IllegalArgumentException("reload or restart a service, not '" + action + " " + service + "'");
        }
        configCheck = List.copyOf(configCheck);
    }

    public static ServiceAction reload(String service, String... configCheck) {
        return new ServiceAction(service, "reload", List.of(configCheck));
    }

    @Override
    public String name() {
        return action + " " + service;
    }

    static Command actionCommand(Service.Init init, String service, String action) {
        return init == Service.Init.SYSTEMD ? Command.of("systemctl", action, service) : Command.of("service", service, action);
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        return Change.of(action + " " + service, h -> {
            if (!configCheck.isEmpty()) {
                var check = h.run(Command.of(configCheck.toArray(String[]::new)));
                if (!check.ok()) {
                    throw new TaskFailure(String.join(" ", configCheck) + " refused the configuration, " + service
                            + " keeps running the previous one: " + HostContext.lastLine(check));
                }
            }
            h.runOk(actionCommand(Service.init(h), service, action));
        });
    }
}
