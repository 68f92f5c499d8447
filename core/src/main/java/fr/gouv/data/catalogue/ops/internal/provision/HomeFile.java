package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TaskFailure;
import fr.gouv.data.catalogue.ops.internal.task.TextDiff;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A text file in the login user's home (its {@code .bashrc}, {@code ~/.pyenv/.pyenvrc}), owned by
 * that user as the original's unprivileged tasks leave it. The wanted text is computed from the
 * current one (empty when absent), so a managed block keeps the rest of the file.
 */
record HomeFile(String name, String relativePath, UnaryOperator<String> wanted, Set<String> tags) implements Task {
    static final int ABSENT = 3;

    HomeFile {
        tags = Set.copyOf(tags);
    }

    static Command probeCommand(String path) {
        return Command.of("sh", "-c", "[ -e \"$1\" ] || exit " + ABSENT + "; cat -- \"$1\"", "sh", path);
    }

    private String path(HostContext host) throws OpsException {
        return host.loginHome() + "/" + relativePath;
    }

    @Override
    public List<Command> probes(HostContext host) throws OpsException {
        return List.of(probeCommand(path(host)));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        String path = path(host);
        ExecResult now = host.run(probeCommand(path));
        boolean absent = now.exitCode() == ABSENT;
        if (!absent && !now.ok()) {
            throw new TaskFailure("cannot read " + path + ": " + now.stderr().strip());
        }
        String before = absent ? "" : now.stdout();
        String after = wanted.apply(before);
        if (!absent && after.equals(before)) {
            return Change.none();
        }
        byte[] content = after.getBytes(StandardCharsets.UTF_8);
        return Change.of((absent ? "create " : "update ") + path, TextDiff.unified(before, after, path),
                h -> h.remote().upload(content, path, "0644", null, null));
    }
}
