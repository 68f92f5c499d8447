package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A command run as the login user, in its home, while a file it creates is missing there (the
 * original's {@code creates:}): cloning pyenv or nvm, building a Python, installing a Node.
 */
record HomeInstall(String name, String creates, Steps steps, Duration timeout, Set<String> tags) implements Task {
    /** The command for a home folder and the host's variables, and what it does in a few words. */
    @FunctionalInterface
    interface Steps {
        Step step(String home, HostContext host) throws OpsException;
    }

    record Step(String summary, Command command) {
    }

    HomeInstall {
        tags = Set.copyOf(tags);
    }

    private Command probe(HostContext host) throws OpsException {
        return Command.of("test", "-e", host.loginHome() + "/" + creates);
    }

    @Override
    public List<Command> probes(HostContext host) throws OpsException {
        return List.of(probe(host));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        if (host.run(probe(host)).ok()) {
            return Change.none();
        }
        Step step = steps.step(host.loginHome(), host);
        Command command = step.command().withTimeout(timeout);
        return Change.of(step.summary() + " (~/" + creates + " missing)", h -> h.runAsLoginOk(command));
    }
}
