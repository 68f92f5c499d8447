package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.provision.Provisioning;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Provisioning of an environment's web hosts: runtimes, nginx, supervisor, certbot, nginx's
 * configuration and, with {@code tls_enabled}, the certificate. Idempotent: a second run changes
 * nothing. Made by {@link CatalogueOps#provision(String)}.
 */
public final class ProvisionCommand {
    private final CatalogueOps ops;
    private final String environment;
    private boolean check;
    private int forks = 10;
    private final Set<String> limit = new LinkedHashSet<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private RunListener listener = RunListener.NONE;
    private Environment loaded;

    ProvisionCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * Check mode: change nothing, report what would change.
     *
     * @param check whether to only check
     * @return this
     */
    public ProvisionCommand check(boolean check) {
        this.check = check;
        return this;
    }

    /**
     * How many hosts are worked on at once.
     *
     * @param forks at least 1 (default 10)
     * @return this
     */
    public ProvisionCommand forks(int forks) {
        this.forks = forks;
        return this;
    }

    /**
     * Only these hosts (may be called several times; none: every web host).
     *
     * @param hosts inventory names
     * @return this
     */
    public ProvisionCommand limit(String... hosts) {
        limit.addAll(List.of(hosts));
        return this;
    }

    /**
     * Only the tasks with these tags: {@code provision}, {@code runtimes}, {@code nginx}, {@code tls}.
     *
     * @param names tag names
     * @return this
     */
    public ProvisionCommand tags(String... names) {
        tags.addAll(List.of(names));
        return this;
    }

    /**
     * Told of every task's result as it ends (called from the hosts' threads).
     *
     * @param listener the listener
     * @return this
     */
    public ProvisionCommand listener(RunListener listener) {
        this.listener = listener == null ? RunListener.NONE : listener;
        return this;
    }

    /**
     * Checks the request without contacting any host.
     *
     * @return the hosts it will run on, in the inventory's order
     * @throws fr.gouv.data.catalogue.ops.BadOptionException unknown host or tag, forks below 1
     * @throws ConfigException unknown environment
     * @throws OpsException the environment's files cannot be read
     */
    public List<String> hosts() throws OpsException {
        if (loaded == null) {
            loaded = ops.load(environment);
        }
        return Provisioning.hosts(loaded, request());
    }

    /**
     * Checks the request, then runs the play.
     *
     * @return every result and the recap per host
     * @throws ConfigException a bad request (nothing was contacted)
     * @throws OpsException the environment's files or secrets cannot be read
     * @throws InterruptedException the run was interrupted (hosts stop at their next command)
     */
    public PlayRecap call() throws OpsException, InterruptedException {
        hosts();
        return Provisioning.run(loaded, ops.catalogue().opsDir(), request(), ops.access(), listener);
    }

    private Provisioning.Request request() {
        return new Provisioning.Request(check, forks, limit, tags);
    }
}
