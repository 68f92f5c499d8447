package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.util.Set;

/** A directory with this mode and owner (parents created as needed). */
public record Directory(String name, String path, String mode, String owner, Set<String> tags) implements Task {
    public Directory {
        if (!mode.matches("0?[0-7]{3,4}") || !owner.matches("[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*")) {
            throw new IllegalArgumentException("mode must be octal and owner user:group: " + mode + " " + owner);
        }
        tags = Set.copyOf(tags);
    }

    public static Directory of(String path, String mode, String owner) {
        return new Directory("directory " + path, path, mode, owner, Set.of());
    }

    static Command probeCommand(String path) {
        return Command.of("stat", "-c", "%F %a %U:%G", "--", path);
    }

    static Command applyCommand(String path, String mode, String owner) {
        String[] ug = owner.split(":");
        return Command.of("install", "-d", "-m", mode, "-o", ug[0], "-g", ug[1], "--", path);
    }

    @Override
    public java.util.List<Command> probes(HostContext host) {
        return java.util.List.of(probeCommand(path));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        var probe = host.run(probeCommand(path));
        Change.Action make = h -> h.runOk(applyCommand(path, mode, owner));
        if (!probe.ok()) {
            return Change.of("create directory " + path, make);
        }
        String[] f = probe.stdout().strip().split(" ");
        if (!probe.stdout().startsWith("directory ")) {
            throw new TaskFailure(path + " exists and is not a directory (" + probe.stdout().strip()
                    + "); remove it or choose another path");
        }
        if (Integer.parseInt(f[1], 8) == Integer.parseInt(mode, 8) && f[2].equals(owner)) {
            return Change.none();
        }
        return Change.of("set directory " + path + " to " + mode + " " + owner, make);
    }
}
