package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.doctor.Doctor;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import java.nio.file.Path;

/**
 * The debugging runbook, automated: every web host of an environment examined (nginx and its
 * configuration, the upstreams against the live release's side, supervisor and the live programs,
 * their health, the site through nginx with a 502 explained, the live release against
 * {@code git_version}, the deploy lock, the last deploy, a dead deploy's leftovers, migrations,
 * TLS certificates and their renewal, disk, memory, clock, runtime versions), changing nothing.
 * Made by {@link CatalogueOps#doctor(String)}.
 */
public final class DoctorCommand {
    private final CatalogueOps ops;
    private final String environment;
    private Path repositoryCache;

    DoctorCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * Where fetched repositories are cached, to resolve {@code git_version} (default as for a deploy:
     * {@code $XDG_CACHE_HOME/catalogue-ops/repos}, else {@code ~/.cache/catalogue-ops/repos}).
     *
     * @param dir the cache folder
     * @return this
     */
    public DoctorCommand repositoryCache(Path dir) {
        this.repositoryCache = dir;
        return this;
    }

    /**
     * Examines every web host.
     *
     * @return every check of every host; a host that cannot be reached is one failed check
     * @throws OpsException unknown environment, bad variables, wrong vault password
     * @throws InterruptedException when interrupted
     */
    public DoctorReport call() throws OpsException, InterruptedException {
        return new Doctor(ops.load(environment), ops.access(), ops.secretsToMask(environment), cache(), ops.environmentVariables())
                .run();
    }

    private Path cache() {
        if (repositoryCache != null) {
            return repositoryCache;
        }
        String xdg = ops.environmentVariables().get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("catalogue-ops/repos");
    }
}
