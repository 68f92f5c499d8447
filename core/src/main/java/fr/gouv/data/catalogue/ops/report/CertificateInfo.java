package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * One certificate certbot manages on a host, as {@code certbot certificates} lists it.
 *
 * @param host the inventory name of the host
 * @param name the certificate's name (certbot's {@code --cert-name}; the first domain by default)
 * @param serial its serial number, lower-case hexadecimal as certbot prints it
 * @param keyType the key's type ({@code RSA}, {@code ECDSA}; empty when certbot does not say)
 * @param domains the names it covers
 * @param expiry when it expires (UTC, ISO 8601, e.g. {@code 2026-12-31T14:59:19Z})
 * @param daysLeft whole days until it expires, by the host's clock (negative once expired)
 * @param valid whether certbot says it is valid (not expired, not revoked)
 * @param status certbot's verdict as it prints it, e.g. {@code VALID: 89 days} or {@code INVALID: REVOKED}
 * @param certificatePath the full chain nginx serves
 * @param privateKeyPath its private key
 */
public record CertificateInfo(String host, String name, String serial, String keyType, List<String> domains, String expiry,
                              long daysLeft, boolean valid, String status, String certificatePath, String privateKeyPath) {
    /**
     * The record, its domain list copied.
     *
     * @param host the inventory name of the host
     * @param name the certificate's name
     * @param serial its serial number
     * @param keyType the key's type
     * @param domains the names it covers
     * @param expiry when it expires
     * @param daysLeft whole days until it expires
     * @param valid whether certbot says it is valid
     * @param status certbot's verdict
     * @param certificatePath the full chain
     * @param privateKeyPath its private key
     */
    public CertificateInfo {
        domains = List.copyOf(domains);
    }
}
