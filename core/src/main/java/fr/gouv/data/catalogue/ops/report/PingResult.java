package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * Every host's answer to a ping, in the inventory's order.
 *
 * @param hosts one answer per host
 */
public record PingResult(List<HostPing> hosts) {
    /**
     * A copy of the list.
     *
     * @param hosts one answer per host
     */
    public PingResult {
        hosts = List.copyOf(hosts);
    }

    /**
     * Whether every host answered.
     *
     * @return true when no host failed
     */
    public boolean allOk() {
        return hosts.stream().allMatch(HostPing::ok);
    }
}
