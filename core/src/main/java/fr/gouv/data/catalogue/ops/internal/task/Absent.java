package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.util.List;
import java.util.Set;

/** No file, link or directory at this path (e.g. nginx's sites-enabled/default). */
public record Absent(String name, String path, Set<String> tags, List<String> notifies) implements Task {
    public Absent {
        if (!path.startsWith("/") || path.replace("/", "").isEmpty() || path.contains("/../")) {
            throw new IllegalArgumentException("refusing to remove '" + path + "': an absolute path below / is needed");
        }
        tags = Set.copyOf(tags);
        notifies = List.copyOf(notifies);
    }

    public static Absent of(String path, String... notifies) {
        return new Absent("absent " + path, path, Set.of(), List.of(notifies));
    }

    static Command probeCommand(String path) {
        return Command.of("sh", "-c", "[ -e \"$1\" ] || [ -L \"$1\" ]", "sh", path);
    }

    @Override
    public List<Command> probes(HostContext host) {
        return List.of(probeCommand(path));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        if (!host.run(probeCommand(path)).ok()) {
            return Change.none();
        }
        return Change.of("remove " + path, h -> h.runOk(Command.of("rm", "-rf", "--", path)));
    }
}
