package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * What {@code certs reissue} did on an environment's web hosts.
 *
 * @param environment the environment's name
 * @param forced whether a reissue within the hour after another was allowed ({@code --force})
 * @param hosts per host, in the inventory's order; the hosts after one that failed are not worked on
 */
public record CertReissueReport(String environment, boolean forced, List<HostCertReissue> hosts) {
    /**
     * The record, its list copied.
     *
     * @param environment the environment's name
     * @param forced whether {@code --force} was given
     * @param hosts per host
     */
    public CertReissueReport {
        hosts = List.copyOf(hosts);
    }

    /**
     * Whether every host ended with its new certificate.
     *
     * @return true when no host failed
     */
    public boolean succeeded() {
        return !hosts.isEmpty() && hosts.stream().allMatch(HostCertReissue::succeeded);
    }
}
