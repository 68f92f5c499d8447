package fr.gouv.data.catalogue.ops.report;

import java.nio.file.Path;
import java.util.List;

/**
 * The host keys of an environment's hosts, and what was recorded.
 *
 * @param knownHosts the environment's known_hosts file
 * @param hosts one entry per host, in the inventory's order
 */
public record TrustResult(Path knownHosts, List<HostKeyTrust> hosts) {
    /**
     * A copy of the list.
     *
     * @param knownHosts the known_hosts file
     * @param hosts one entry per host
     */
    public TrustResult {
        hosts = List.copyOf(hosts);
    }

    /**
     * How many keys were recorded.
     *
     * @return the count of {@link HostKeyTrust.Outcome#RECORDED} hosts
     */
    public long recorded() {
        return hosts.stream().filter(h -> h.outcome() == HostKeyTrust.Outcome.RECORDED).count();
    }

    /**
     * Whether a pinned key differs from the host's.
     *
     * @return true when any host's key changed
     */
    public boolean anyChanged() {
        return hosts.stream().anyMatch(h -> h.outcome() == HostKeyTrust.Outcome.CHANGED);
    }
}
