package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * The certificates certbot manages on one host.
 *
 * @param host the inventory name of the host
 * @param certificates every certificate, in certbot's order (empty: none)
 */
public record HostCertificates(String host, List<CertificateInfo> certificates) {
    /**
     * The record, its list copied.
     *
     * @param host the inventory name of the host
     * @param certificates every certificate
     */
    public HostCertificates {
        certificates = List.copyOf(certificates);
    }
}
