package fr.gouv.data.catalogue.ops.report;

import java.util.List;

/**
 * What {@code certbot renew} did on one host.
 *
 * @param host the inventory name of the host
 * @param renewed the names of the certificates it renewed (their serial changed)
 * @param unchanged the names of those it left as they were (not due yet)
 * @param nginxReloaded whether nginx was reloaded (only when a certificate changed, after {@code nginx -t})
 * @param succeeded whether the host ended well
 * @param message one line: what happened, or why it failed and what to do
 */
public record HostCertRenewal(String host, List<String> renewed, List<String> unchanged, boolean nginxReloaded,
                              boolean succeeded, String message) {
    /**
     * The record, its lists copied.
     *
     * @param host the inventory name of the host
     * @param renewed the certificates renewed
     * @param unchanged the certificates left as they were
     * @param nginxReloaded whether nginx was reloaded
     * @param succeeded whether the host ended well
     * @param message one line
     */
    public HostCertRenewal {
        renewed = List.copyOf(renewed);
        unchanged = List.copyOf(unchanged);
    }
}
