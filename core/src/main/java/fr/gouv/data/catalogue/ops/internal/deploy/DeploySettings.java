package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A host's deploy settings, read from its variables with their defaults: the two sides' ports,
 * the user the app runs as, releases kept, the health checks, how the virtualenv is made, and
 * whether the release replaced by a deploy stays up on the idle side as a standby
 * ({@code deploy_standby}, default true: a rollback to it is a switch, at the cost of the app's
 * memory twice over).
 */
public record DeploySettings(SidePorts ports, String appUser, int keepReleases, HealthCheck apiHealth,
                             HealthCheck clientHealth, boolean systemSitePackages, List<String> pipOptions, String python,
                             boolean tls, String domain, boolean standby) {
    public static final int DEFAULT_KEEP_RELEASES = 5;

    public static DeploySettings of(HostVariables vars, String loginUser, String home) throws OpsException {
        SidePorts ports = new SidePorts(new Side.Ports(port(vars, "api_port", 3579), port(vars, "client_port", 3000)),
                new Side.Ports(port(vars, "api_alt_port", SidePorts.DEFAULT_API_ALT_PORT),
                        port(vars, "client_alt_port", SidePorts.DEFAULT_CLIENT_ALT_PORT)));
        int keep = integer(vars, "keep_releases", DEFAULT_KEEP_RELEASES);
        if (keep < 1) {
            throw new ConfigException(vars.host() + ": keep_releases must be at least 1, found " + keep);
        }
        Duration timeout = Duration.ofSeconds(integer(vars, "health_timeout", (int) HealthCheck.DEFAULT_TIMEOUT.toSeconds()));
        String status = string(vars, "health_status", HealthCheck.DEFAULT_STATUS);
        String problem = HealthCheck.statusProblem(status);
        if (problem != null) {
            throw new ConfigException(vars.host() + ": health_status " + problem);
        }
        HealthCheck api = new HealthCheck(string(vars, "health_api_path", HealthCheck.DEFAULT_API_PATH), status, timeout,
                HealthCheck.DEFAULT_INTERVAL);
        HealthCheck client = new HealthCheck(string(vars, "health_client_path", HealthCheck.DEFAULT_CLIENT_PATH), status, timeout,
                HealthCheck.DEFAULT_INTERVAL);
        List<String> pip = new ArrayList<>();
        String index = string(vars, "pip_index_url", "");
        if (!index.isBlank()) {
            pip.add("--index-url");
            pip.add(index);
        }
        if (bool(vars, "pip_no_index", false)) {
            pip.add("--no-index");
        }
        String runtime = string(vars, "python_runtime", "pyenv");
        String python = "system".equals(runtime) ? "python3"
                : home + "/.pyenv/versions/" + string(vars, "pyenv_python_version", "3.8.9") + "/bin/python";
        python = string(vars, "deploy_python", python);
        return new DeploySettings(ports, string(vars, "app_user", loginUser), keep, api, client,
                bool(vars, "venv_system_site_packages", false), List.copyOf(pip), python, bool(vars, "tls_enabled", false),
                string(vars, "domain_name", vars.host()), bool(vars, "deploy_standby", true));
    }

    static String string(HostVariables vars, String name, String fallback) throws OpsException {
        if (!vars.isDefined(name)) {
            return fallback;
        }
        Object v = vars.get(name);
        return v == null ? fallback : String.valueOf(v).strip();
    }

    static boolean bool(HostVariables vars, String name, boolean fallback) throws OpsException {
        String v = string(vars, name, String.valueOf(fallback)).toLowerCase();
        return List.of("yes", "true", "on", "1").contains(v);
    }

    static int integer(HostVariables vars, String name, int fallback) throws OpsException {
        String v = string(vars, name, String.valueOf(fallback));
        if (!v.matches("-?[0-9]{1,9}")) {
            throw new ConfigException(vars.host() + ": " + name + " must be a whole number, found '" + v + "'");
        }
        return Integer.parseInt(v);
    }

    static int port(HostVariables vars, String name, int fallback) throws OpsException {
        int p = integer(vars, name, fallback);
        if (p < 1 || p > 65535) {
            throw new ConfigException(vars.host() + ": " + name + " must be a port number from 1 to 65535, found " + p);
        }
        return p;
    }
}
