package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.util.List;
import java.util.Set;

/** A task whose exact form depends on the host's variables (a version, a package list), made when the host's turn comes. */
public record PerHost(String name, Set<String> tags, Maker maker) implements Task {
    /** Makes the host's task; fails the host (a one-line error) when its variables do not allow one. */
    @FunctionalInterface
    public interface Maker {
        Task make(HostContext host) throws OpsException;
    }

    public PerHost {
        tags = Set.copyOf(tags);
    }

    @Override
    public List<Command> probes(HostContext host) throws OpsException {
        return maker.make(host).probes(host);
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        return maker.make(host).plan(host);
    }
}
