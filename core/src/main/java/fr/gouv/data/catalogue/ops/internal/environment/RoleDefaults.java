package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.LinkedHashMap;
import java.util.Map;

/** The lowest-precedence values, the role defaults of the original playbook. */
final class RoleDefaults {
    private RoleDefaults() {
    }

    static Map<String, Variable> variables() {
        Origin origin = Origin.of("role defaults");
        Map<String, Variable> vars = new LinkedHashMap<>();
        put(vars, "tls_enabled", false, origin);
        put(vars, "passwords", "{}", origin);
        put(vars, "git_version", "master", origin);
        put(vars, "config_repo_api_key", "", origin);
        return vars;
    }

    private static void put(Map<String, Variable> vars, String name, Object value, Origin origin) {
        vars.put(name, Variable.of(name, value, origin));
    }
}
