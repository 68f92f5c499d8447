package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * What {@code certs renew} did on an environment's web hosts.
 *
 * @param environment the environment's name
 * @param hosts per host, in the inventory's order
 */
public record CertRenewReport(String environment, List<HostCertRenewal> hosts) {
    /**
     * The record, its list copied.
     *
     * @param environment the environment's name
     * @param hosts per host
     */
    public CertRenewReport {
        hosts = List.copyOf(hosts);
    }

    /**
     * Whether every host ended well.
     *
     * @return true when no host failed
     */
    public boolean succeeded() {
        return !hosts.isEmpty() && hosts.stream().allMatch(HostCertRenewal::succeeded);
    }
}
