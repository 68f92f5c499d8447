package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.util.List;
import java.util.Set;

/** A command run only while {@code creates} does not exist (Ansible's command with creates=). */
public record CommandOnce(String name, List<String> argv, String creates, Set<String> tags, List<String> notifies)
        implements Task {
    public CommandOnce {
        argv = List.copyOf(argv);
        tags = Set.copyOf(tags);
        notifies = List.copyOf(notifies);
    }

    @Override
    public List<Command> probes(HostContext host) {
        return List.of(Command.of("test", "-e", creates));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        if (host.run(Command.of("test", "-e", creates)).ok()) {
            return Change.none();
        }
        Command command = Command.of(argv.toArray(String[]::new));
        return Change.of(command + " (" + creates + " missing)", h -> h.runOk(command));
    }
}
