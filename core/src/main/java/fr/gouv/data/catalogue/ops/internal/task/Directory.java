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

    /** A directory's mode and owner as {@link #probeCommand} prints them: "directory 755 root:root". */
    private static final java.util.regex.Pattern DIRECTORY = java.util.regex.Pattern.compile("directory ([0-7]{3,4}) (\\S+:\\S+)");
    /** Anything else stat can be: "regular file 644 root:root", "symbolic link 777 root:root". */
    private static final java.util.regex.Pattern OTHER = java.util.regex.Pattern.compile("([a-z ]+) [0-7]{3,4} \\S+:\\S+");

    @Override
    public java.util.List<Command> probes(HostContext host) {
        return java.util.List.of(probeCommand(path));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Command probeCommand = probeCommand(path);
        var probe = host.run(probeCommand);
        Change.Action make = h -> h.runOk(applyCommand(path, mode, owner));
        if (!probe.ok()) {
            return Change.of("create directory " + path, make);
        }
        var now = DIRECTORY.matcher(probe.stdout().strip());
        if (!now.matches()) {
            var other = OTHER.matcher(probe.stdout().strip());
            if (!other.matches()) {
                throw TaskFailure.unexpectedAnswer(probeCommand, probe);
            }
            throw new TaskFailure(path + " exists and is not a directory (" + other.group(1)
                    + "); remove it or choose another path");
        }
        if (Integer.parseInt(now.group(1), 8) == Integer.parseInt(mode, 8) && now.group(2).equals(owner)) {
            return Change.none();
        }
        return Change.of("set directory " + path + " to " + mode + " " + owner, make);
    }
}
