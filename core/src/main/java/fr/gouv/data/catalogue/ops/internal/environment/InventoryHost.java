package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A host of an inventory with the variables given on its inventory line. */
public final class InventoryHost {
    private final String name;
    private final Origin origin;
    final Map<String, Variable> vars = new LinkedHashMap<>();

    InventoryHost(String name, Origin origin) {
        this.name = name;
        this.origin = origin;
    }

    public String name() {
        return name;
    }

    public Origin origin() {
        return origin;
    }

    public Map<String, Variable> vars() {
        return Collections.unmodifiableMap(vars);
    }

    /** A connection variable given on the inventory line, such as {@code ansible_user}. */
    public Optional<Object> var(String key) {
        return Optional.ofNullable(vars.get(key)).map(Variable::value);
    }
}
