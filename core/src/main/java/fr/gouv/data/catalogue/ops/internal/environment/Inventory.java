package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An Ansible inventory: hosts, groups (with the implicit {@code all} and {@code ungrouped}),
 * group and host variables. Built by {@link IniInventory} or {@link YamlInventory}.
 */
public final class Inventory {
    public static final String ALL = "all";
    public static final String UNGROUPED = "ungrouped";

    /** The connection variables catalogue-ops understands, as Ansible names them. */
    public static final List<String> CONNECTION_VARIABLES = List.of("ansible_host", "ansible_port", "ansible_user",
            "ansible_ssh_private_key_file", "ansible_become", "ansible_become_user", "ansible_become_password");

    private final String source;
    private final Map<String, InventoryGroup> groups;
    private final Map<String, InventoryHost> hosts;

    private Inventory(String source, Map<String, InventoryGroup> groups, Map<String, InventoryHost> hosts) {
        this.source = source;
        this.groups = groups;
        this.hosts = hosts;
    }

    public String source() {
        return source;
    }

    public List<InventoryHost> hosts() {
        return List.copyOf(hosts.values());
    }

    public Optional<InventoryHost> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }

    public Optional<InventoryGroup> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    public Set<String> groupNames() {
        return Collections.unmodifiableSet(groups.keySet());
    }

    /** Every host of the group, through its children too, in inventory order. */
    public List<String> hostsOf(String group) {
        Set<String> found = new LinkedHashSet<>();
        collectHosts(group, found, new LinkedHashSet<>());
        List<String> ordered = new ArrayList<>();
        for (String h : hosts.keySet()) {
            if (found.contains(h)) {
                ordered.add(h);
            }
        }
        return ordered;
    }

    private void collectHosts(String group, Set<String> found, Set<String> seen) {
        InventoryGroup g = groups.get(group);
        if (g == null || !seen.add(group)) {
            return;
        }
        if (g.name().equals(ALL)) {
            found.addAll(hosts.keySet());
            return;
        }
        found.addAll(g.hosts);
        for (String child : g.children) {
            collectHosts(child, found, seen);
        }
    }

    /**
     * The groups a host belongs to, {@code all} included, ordered as Ansible merges their
     * variables: by depth, then by name.
     */
    public List<InventoryGroup> groupsOf(String host) {
        List<InventoryGroup> result = new ArrayList<>();
        for (InventoryGroup g : groups.values()) {
            if (hostsOf(g.name()).contains(host)) {
                result.add(g);
            }
        }
        result.sort(Comparator.comparingInt(InventoryGroup::depth).thenComparing(InventoryGroup::name));
        return result;
    }

    /** Assembles an inventory; parsers call it in file order. */
    static final class Builder {
        private final String source;
        private final Map<String, InventoryGroup> groups = new LinkedHashMap<>();
        private final Map<String, InventoryHost> hosts = new LinkedHashMap<>();

        Builder(String source) {
            this.source = source;
            groups.put(ALL, new InventoryGroup(ALL));
            groups.put(UNGROUPED, new InventoryGroup(UNGROUPED));
        }

        boolean hasGroup(String name) {
            return groups.containsKey(name);
        }

        InventoryGroup group(String name) {
            return groups.computeIfAbsent(name, InventoryGroup::new);
        }

        InventoryHost host(String group, String name, Origin origin) {
            InventoryHost host = hosts.computeIfAbsent(name, n -> new InventoryHost(n, origin));
            if (!group.equals(ALL)) {
                group(group).hosts.add(name);
            }
            return host;
        }

        void child(String parent, String child) {
            group(parent).children.add(child);
            group(child).parents.add(parent);
        }

        Inventory build() throws ConfigException {
            InventoryGroup all = groups.get(ALL);
            for (InventoryGroup g : groups.values()) {
                if (!g.name().equals(ALL) && g.parents.isEmpty()) {
                    all.children.add(g.name());
                    g.parents.add(ALL);
                }
            }
            Set<String> grouped = new LinkedHashSet<>();
            for (InventoryGroup g : groups.values()) {
                if (!g.name().equals(ALL) && !g.name().equals(UNGROUPED)) {
                    grouped.addAll(g.hosts);
                }
            }
            for (String h : hosts.keySet()) {
                if (!grouped.contains(h)) {
                    groups.get(UNGROUPED).hosts.add(h);
                }
            }
            groups.get(UNGROUPED).hosts.removeAll(grouped);
            for (InventoryGroup g : groups.values()) {
                g.depth = depth(g, new ArrayList<>());
            }
            return new Inventory(source, groups, hosts);
        }

        private int depth(InventoryGroup g, List<String> path) throws ConfigException {
            if (g.name().equals(ALL)) {
                return 0;
            }
            if (path.contains(g.name())) {
                path.add(g.name());
                throw new ConfigException(source + ": groups form a loop through :children ("
                        + String.join(" -> ", path) + "); remove one of these children");
            }
            path.add(g.name());
            int max = 0;
            for (String parent : g.parents) {
                max = Math.max(max, depth(groups.get(parent), path));
            }
            path.remove(path.size() - 1);
            return max + 1;
        }
    }
}
