package fr.gouv.data.catalogue.ops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.FactsRequiredException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.environment.Variable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An environment as {@code catalogue-ops env show} prints it: its web hosts and, per host, every
 * variable resolved, with where it comes from.
 *
 * @param name the environment's name
 * @param dir its folder
 * @param hosts its web hosts, in the inventory's order
 * @param variables per host shown (the web hosts, or those asked for), the variables sorted by name
 */
public record EnvironmentView(String name, Path dir, List<String> hosts, Map<String, List<VariableView>> variables) {
    /** What a masked secret shows. */
    public static final String MASK = "********";

    /**
     * Copies of the collections.
     *
     * @param name the environment's name
     * @param dir its folder
     * @param hosts its web hosts
     * @param variables per host, its variables
     */
    public EnvironmentView {
        hosts = List.copyOf(hosts);
        variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /**
     * One variable of one host.
     *
     * @param name the variable's name
     * @param value its value as shown: text as is, other values as JSON; {@link #MASK} for a masked
     *              secret; for a value resolved on the host, the template and the fact it needs; for a
     *              value that cannot be resolved, {@code ERROR: } and why
     * @param origin where it comes from (file and line, or what defines it)
     * @param secret whether it is a secret (from the secrets file, or derived from one)
     */
    public record VariableView(String name, String value, String origin, boolean secret) {
    }

    static EnvironmentView of(Environment env, boolean reveal, List<String> hosts) throws OpsException {
        Map<String, List<VariableView>> all = new LinkedHashMap<>();
        if (hosts.isEmpty() && env.webHosts().isEmpty()) {
            throw new ConfigException(env.show(env.inventoryFile()) + ": the inventory has no host"
                    + (env.inventory().group(Environment.WEB_GROUP).isPresent() ? " in group [web]" : "")
                    + "; add the service's host under [web]");
        }
        ObjectMapper json = new ObjectMapper();
        for (String host : hosts.isEmpty() ? env.webHosts() : hosts) {
            all.put(host, host(env.variables(host), reveal, json));
        }
        return new EnvironmentView(env.name(), env.dir(), env.webHosts(), all);
    }

    /**
     * The variables of one host, shown as {@link VariableView#value()} says.
     *
     * @param vars the host's variables
     * @param reveal show secret values
     * @return the variables sorted by name
     */
    static List<VariableView> host(HostVariables vars, boolean reveal, ObjectMapper json) {
        List<VariableView> shown = new ArrayList<>();
        for (Variable v : new TreeMap<>(vars.variables()).values()) {
            shown.add(view(vars, v, reveal, json));
        }
        return shown;
    }

    private static VariableView view(HostVariables vars, Variable v, boolean reveal, ObjectMapper json) {
        String origin = String.valueOf(v.origin());
        try {
            HostVariables.Resolved r = vars.resolve(v.name());
            String value = r.secret() && !reveal ? MASK
                    : r.value() instanceof String text ? text : json.writeValueAsString(r.value());
            return new VariableView(v.name(), value, origin, r.secret());
        } catch (FactsRequiredException ex) {
            return new VariableView(v.name(), v.value() + "  (resolved on the host: needs " + ex.fact() + ")", origin, v.secret());
        } catch (OpsException ex) {
            return new VariableView(v.name(), "ERROR: " + ex.getMessage(), origin, v.secret());
        } catch (JsonProcessingException ex) {
            return new VariableView(v.name(), String.valueOf(v.value()), origin, v.secret());
        }
    }
}
