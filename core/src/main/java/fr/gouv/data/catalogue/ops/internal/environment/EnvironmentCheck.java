package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.OpsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that an environment has what a deploy needs; every problem is one line naming where
 * (file:line, or the file to edit) and what to do.
 */
public final class EnvironmentCheck {
    /** Variables the deploy writes into the service's .env or uses to place and run it. */
    static final List<String> REQUIRED = List.of("secret_key", "database_url", "client_url", "datapass_url",
            "datapass_client_id", "datapass_client_secret", "git_repo", "git_version", "workdir", "api_port",
            "client_port", "domain_name");
    /** Names whose values are secret wherever they are set; masked in every output. */
    static final Set<String> SECRET_KEYS = Set.of("secret_key", "database_url", "datapass_client_id",
            "datapass_client_secret", "config_repo_api_key", "passwords", "sentry_dsn", "ansible_become_password",
            "ansible_become_pass", "ansible_password", "ansible_ssh_pass");

    /** The required variables that belong in the secrets file. */
    public static Set<String> requiredSecrets() {
        Set<String> names = new LinkedHashSet<>(REQUIRED);
        names.retainAll(SECRET_KEYS);
        return names;
    }

    /** One problem: where it is and what to do, on one line. */
    public record Problem(String where, String message) {
        @Override
        public String toString() {
            return where + ": " + message;
        }
    }

    private final Environment environment;
    private final boolean reveal;
    private final List<Problem> problems = new ArrayList<>();

    private EnvironmentCheck(Environment environment, boolean reveal) {
        this.environment = environment;
        this.reveal = reveal;
    }

    /**
     * @param reveal print secret-derived details (the percent-encoded database URL) in messages
     */
    public static List<Problem> run(Environment environment, boolean reveal) {
        EnvironmentCheck check = new EnvironmentCheck(environment, reveal);
        check.all();
        return List.copyOf(check.problems);
    }

    /**
     * What does not stop a deploy but should be fixed: a plain-text secrets file, duplicate keys.
     * Call it after {@link #run}, which reads the files whose warnings it includes.
     */
    public static List<String> warnings(Environment environment) {
        List<String> warnings = new ArrayList<>();
        try {
            if (!environment.secretsEncrypted()) {
                String shown = environment.show(environment.secretsFile());
                warnings.add(shown + ": the secrets are not encrypted; encrypt them with: catalogue-ops vault encrypt "
                        + shown);
            }
        } catch (OpsException e) {
            // a missing or unreadable secrets file is a problem that run() reports
        }
        warnings.addAll(environment.warnings());
        return warnings;
    }

    private void all() {
        List<String> hosts = environment.webHosts();
        if (hosts.isEmpty()) {
            add(environment.show(environment.inventoryFile()), "no host in group [web]; add the service's host under [web]");
            return;
        }
        try {
            environment.secrets();
        } catch (OpsException e) {
            problems.add(new Problem(environment.show(environment.secretsFile()), e.getMessage()));
            return;
        }
        for (String host : hosts) {
            try {
                checkHost(environment.variables(host));
            } catch (OpsException e) {
                problems.add(new Problem(host, e.getMessage()));
            }
        }
    }

    private void checkHost(HostVariables vars) {
        Set<String> names = new LinkedHashSet<>(REQUIRED);
        if (truthy(value(vars, "tls_enabled"))) {
            names.add("letsencrypt_email");
        }
        for (String name : names) {
            if (!vars.isDefined(name)) {
                add(fileFor(name), "required variable '" + name + "' is not defined (host " + vars.host() + "); "
                        + (SECRET_KEYS.contains(name) ? "add it with: catalogue-ops secrets edit " + environment.name()
                        : "add it to this file"));
            }
        }
        for (String name : vars.variables().keySet()) {
            try {
                vars.get(name);
            } catch (FactsRequiredException e) {
                // resolved on the host at deploy time
            } catch (OpsException e) {
                problems.add(new Problem(vars.host(), e.getMessage()));
            }
        }
        for (String name : List.of("secret_key", "database_url")) {
            Object v = value(vars, name);
            if (vars.isDefined(name) && (v == null || String.valueOf(v).isBlank())) {
                add(where(vars, name), name + " is empty; set it with: catalogue-ops secrets edit " + environment.name()
                        + (name.equals("secret_key") ? " (generate one with: catalogue-ops secretkey)" : ""));
            }
        }
        checkPorts(vars);
        checkBoolean(vars, "tls_enabled");
        checkBoolean(vars, "ansible_become");
        checkDatabaseUrl(vars);
        checkInitdata(vars);
        if (vars.isDefined(AppTools.VARIABLE)) {
            Object tools = value(vars, AppTools.VARIABLE);
            AppTools.problems(tools).forEach(p -> add(where(vars, AppTools.VARIABLE), p));
        }
    }

    private void checkPorts(HostVariables vars) {
        Integer api = port(vars, "api_port");
        Integer client = port(vars, "client_port");
        if (api != null && api.equals(client)) {
            add(where(vars, "client_port"), "client_port and api_port are both " + api + "; give them different ports");
        }
        // the deploy's other side: defaults unless set
        Integer apiAlt = vars.isDefined("api_alt_port") ? port(vars, "api_alt_port") : Integer.valueOf(3580);
        Integer clientAlt = vars.isDefined("client_alt_port") ? port(vars, "client_alt_port") : Integer.valueOf(3001);
        java.util.Map<String, Integer> sides = new java.util.LinkedHashMap<>();
        sides.put("api_port", api);
        sides.put("client_port", client);
        sides.put("api_alt_port", apiAlt);
        sides.put("client_alt_port", clientAlt);
        java.util.Map<Integer, String> seen = new java.util.HashMap<>();
        for (var e : sides.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            String other = seen.putIfAbsent(e.getValue(), e.getKey());
            if (other != null && !(other.equals("api_port") && e.getKey().equals("client_port"))) {
                add(where(vars, e.getKey()), e.getKey() + " and " + other + " are both " + e.getValue()
                        + "; the deploy's two sides need four different ports (api_port, client_port, api_alt_port, client_alt_port)");
            }
        }
        port(vars, "ansible_port");
        checkDeploySettings(vars);
    }

    private void checkDeploySettings(HostVariables vars) {
        Object keep = value(vars, "keep_releases");
        if (keep != null && !(String.valueOf(keep).strip().matches("[0-9]{1,6}") && Integer.parseInt(String.valueOf(keep).strip()) >= 1)) {
            add(where(vars, "keep_releases"), "keep_releases must be a whole number, at least 1, found '" + keep + "'");
        }
        Object timeout = value(vars, "health_timeout");
        if (timeout != null && !String.valueOf(timeout).strip().matches("[1-9][0-9]{0,4}")) {
            add(where(vars, "health_timeout"), "health_timeout must be a number of seconds (1 or more), found '" + timeout + "'");
        }
        Object status = value(vars, "health_status");
        if (status != null && !String.valueOf(status).strip().matches("<[1-5][0-9]{2}|[1-5][0-9]{2}(,[1-5][0-9]{2})*")) {
            add(where(vars, "health_status"), "health_status must be <N (any status below N, e.g. <500) or a list of statuses"
                    + " (200 or 200,204), found '" + status + "'");
        }
        for (String path : java.util.List.of("health_api_path", "health_client_path")) {
            Object p = value(vars, path);
            if (p != null && !String.valueOf(p).startsWith("/")) {
                add(where(vars, path), path + " must start with /, found '" + p + "'");
            }
        }
        checkBoolean(vars, "venv_system_site_packages");
        checkBoolean(vars, "pip_no_index");
        checkBoolean(vars, "deploy_standby");
        Object code = value(vars, "deploy_code");
        if (code != null && !java.util.List.of("push", "pull").contains(String.valueOf(code).strip())) {
            add(where(vars, "deploy_code"), "deploy_code must be push (this machine sends the commit's files) or pull (the hosts"
                    + " fetch git_repo), found '" + code + "'");
        }
    }

    private Integer port(HostVariables vars, String name) {
        if (!vars.isDefined(name)) {
            return null;
        }
        Object v = value(vars, name);
        if (v == null) {
            return null;
        }
        String text = String.valueOf(v).strip();
        if (v instanceof Integer || v instanceof Long || text.matches("[0-9]{1,5}")) {
            long n = Long.parseLong(text);
            if (n >= 1 && n <= 65535) {
                return (int) n;
            }
        }
        add(where(vars, name), name + " must be a port number from 1 to 65535, found '" + text + "'");
        return null;
    }

    private void checkBoolean(HostVariables vars, String name) {
        Object v = value(vars, name);
        if (v == null || v instanceof Boolean) {
            return;
        }
        String text = String.valueOf(v).strip().toLowerCase();
        if (!Set.of("yes", "no", "true", "false", "on", "off", "1", "0").contains(text)) {
            add(where(vars, name), name + " must be true or false, found '" + v + "'");
        }
    }

    private void checkDatabaseUrl(HostVariables vars) {
        Object v = value(vars, "database_url");
        if (v == null || String.valueOf(v).isBlank()) {
            return;
        }
        String url = String.valueOf(v);
        DatabaseUrl.shapeProblem(url).ifPresent(p -> add(where(vars, "database_url"), "database_url " + p));
        DatabaseUrl.passwordProblem(url).ifPresent(p -> add(where(vars, "database_url"),
                "the password in database_url has unencoded reserved characters: " + p.encodings()
                        + "; percent-encode them, as the guide demands"
                        + (reveal ? " (encoded URL: " + p.encodedUrl() + ")"
                        : " (add --reveal to print the whole encoded URL)")));
    }

    private void checkInitdata(HostVariables vars) {
        Object src = value(vars, "initdata_src");
        if (src == null) {
            return;
        }
        Path path = Path.of(String.valueOf(src));
        if (!Files.isRegularFile(path)) {
            add(where(vars, "initdata_src"), "initdata_src points to " + path
                    + ", which does not exist; create it or remove initdata_src");
        }
    }

    private static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        return v != null && Set.of("yes", "true", "on", "1").contains(String.valueOf(v).strip().toLowerCase());
    }

    private static Object value(HostVariables vars, String name) {
        if (!vars.isDefined(name)) {
            return null;
        }
        try {
            return vars.get(name);
        } catch (OpsException e) {
            return null; // reported by the template pass
        }
    }

    private String where(HostVariables vars, String name) {
        return vars.variable(name).map(v -> v.origin().toString()).orElse(environment.name());
    }

    private String fileFor(String name) {
        return SECRET_KEYS.contains(name)
                ? environment.show(environment.secretsFile())
                : environment.show(environment.dir().resolve("group_vars/web.yml"));
    }

    private void add(String where, String message) {
        Problem p = new Problem(where, message);
        if (!problems.contains(p)) {
            problems.add(p);
        }
    }
}
