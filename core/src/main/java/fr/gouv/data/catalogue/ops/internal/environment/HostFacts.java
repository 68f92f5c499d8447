package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.Optional;

/**
 * Facts gathered from a host ({@code ansible_env}, {@code ansible_user_dir}, ...). Templates that
 * use a fact are resolved only when a task has a connection to ask the host.
 */
public interface HostFacts {
    HostFacts NONE = name -> Optional.empty();

    Optional<Object> fact(String name);
}
