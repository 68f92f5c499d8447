package fr.gouv.data.catalogue.ops.report;

/**
 * What {@code certs reissue} did on one host.
 *
 * @param host the inventory name of the host
 * @param name the certificate's name ({@code domain_name})
 * @param previousSerial the serial of the certificate replaced (empty when there was none)
 * @param serial the serial of the certificate issued (empty when none was)
 * @param revoked whether the previous certificate was revoked by this run
 * @param succeeded whether the host ended with a new certificate that nginx serves
 * @param message one line: what happened, or why it failed and what to do
 */
public record HostCertReissue(String host, String name, String previousSerial, String serial, boolean revoked,
                              boolean succeeded, String message) {
}
