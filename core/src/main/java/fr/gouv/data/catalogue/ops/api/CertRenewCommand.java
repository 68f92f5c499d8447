package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.certs.Certificates;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.report.CertRenewReport;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code certbot renew} now on an environment's web hosts (what the weekly {@code certs_renewal}
 * cron entry does), nginx reloaded gracefully, after {@code nginx -t}, on the hosts where a
 * certificate changed. Made by {@link CatalogueOps#renewCerts(String)}.
 */
public final class CertRenewCommand {
    private final CatalogueOps ops;
    private final String environment;
    private final Set<String> limit = new LinkedHashSet<>();

    CertRenewCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * Only these hosts (none: every web host).
     *
     * @param hosts inventory names
     * @return this
     */
    public CertRenewCommand limit(String... hosts) {
        limit.addAll(List.of(hosts));
        return this;
    }

    /**
     * The hosts the renewal will run on, checked without contacting any.
     *
     * @return their inventory names
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or host, {@code tls_enabled} false
     * @throws OpsException files that cannot be read
     */
    public List<String> hosts() throws OpsException {
        return Certificates.hosts(ops.load(environment), limit);
    }

    /**
     * Checks the request, then renews.
     *
     * @return per host: what was renewed, whether nginx was reloaded
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or host, {@code tls_enabled} false
     * @throws OpsException a host unreachable, certbot missing
     */
    public CertRenewReport call() throws OpsException {
        Environment env = ops.load(environment);
        return new Certificates(env, ops.catalogue().opsDir(), ops.access(), ops.environmentVariables()).renew(limit);
    }
}
