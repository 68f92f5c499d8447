package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.certs.Certificates;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.report.CertReissueReport;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.RunListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The guide's reissue of an environment's certificate ({@code domain_name}), host by host: revoke,
 * delete, and obtain a new one with the same webroot tasks provisioning runs, then nginx reloaded.
 * Each reissue is recorded on the host; a second one of the same name within an hour is refused
 * unless {@link #force(boolean) forced}, since the ACME server limits issuance
 * ({@link #RATE_LIMIT_WARNING}). Made by {@link CatalogueOps#reissueCerts(String)}.
 */
public final class CertReissueCommand {
    /** What to tell the user before a reissue. */
    public static final String RATE_LIMIT_WARNING = Certificates.RATE_LIMIT_WARNING;

    private final CatalogueOps ops;
    private final String environment;
    private final Set<String> limit = new LinkedHashSet<>();
    private boolean force;
    private RunListener listener = RunListener.NONE;

    CertReissueCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * Only these hosts (none: every web host).
     *
     * @param hosts inventory names
     * @return this
     */
    public CertReissueCommand limit(String... hosts) {
        limit.addAll(List.of(hosts));
        return this;
    }

    /**
     * Allows a reissue within the hour after another one of the same name.
     *
     * @param force true to allow it (default false: refused, nothing changed)
     * @return this
     */
    public CertReissueCommand force(boolean force) {
        this.force = force;
        return this;
    }

    /**
     * Told of each provisioning TLS task as it ends on a host (the tasks that obtain the new certificate).
     *
     * @param listener the listener
     * @return this
     */
    public CertReissueCommand listener(RunListener listener) {
        this.listener = listener == null ? RunListener.NONE : listener;
        return this;
    }

    /**
     * What the reissue would do, one line per host, after checking everything it needs
     * ({@code tls_enabled}, {@code domain_name}, {@code letsencrypt_email}, the app site's template),
     * without contacting any host.
     *
     * @return one line per host
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or host, a variable missing or wrong
     * @throws OpsException files that cannot be read
     */
    public List<String> plan() throws OpsException {
        return certificates().reissuePlan(limit);
    }

    /**
     * Checks the request, then reissues, host by host, stopping at the first that fails.
     *
     * @return per host: the serials replaced and issued, how it ended
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or host, a variable missing or wrong
     * @throws OpsException a host unreachable; a reissue within the hour without {@link #force(boolean)} (nothing changed)
     * @throws InterruptedException interrupted
     */
    public CertReissueReport call() throws OpsException, InterruptedException {
        Deployment lock = new Deployment(ops.load(environment), ops.access(), ops.secretsToMask(environment), DeployListener.NONE,
                new Deployment.Request(null, false, Set.of(), 0, null, null, ops.environmentVariables()));
        return certificates().reissueUnderLock(lock, limit, force, listener);
    }

    private Certificates certificates() throws OpsException {
        Environment env = ops.load(environment);
        return new Certificates(env, ops.catalogue().opsDir(), ops.access(), ops.environmentVariables());
    }
}
