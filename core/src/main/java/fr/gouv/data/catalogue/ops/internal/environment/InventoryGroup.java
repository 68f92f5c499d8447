package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A group of an inventory: its own hosts, child groups and variables. */
public final class InventoryGroup {
    private final String name;
    final Map<String, Variable> vars = new LinkedHashMap<>();
    final Set<String> hosts = new LinkedHashSet<>();
    final Set<String> children = new LinkedHashSet<>();
    final Set<String> parents = new LinkedHashSet<>();
    int depth;

    InventoryGroup(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Map<String, Variable> vars() {
        return Collections.unmodifiableMap(vars);
    }

    /** Hosts listed directly in this group. */
    public Set<String> directHosts() {
        return Collections.unmodifiableSet(hosts);
    }

    public Set<String> children() {
        return Collections.unmodifiableSet(children);
    }

    /** Distance from {@code all} (0); variables of deeper groups override those of shallower ones. */
    public int depth() {
        return depth;
    }
}
