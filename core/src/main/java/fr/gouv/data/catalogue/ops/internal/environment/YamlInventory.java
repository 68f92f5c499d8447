package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Ansible's YAML inventory: top-level groups (usually {@code all}), each with {@code hosts},
 * {@code vars} and {@code children}; host names may use ranges.
 */
final class YamlInventory {
    private static final Set<String> GROUP_KEYS = Set.of("hosts", "vars", "children");

    private final String file;
    private final Inventory.Builder builder;
    private final YamlFile values;

    private YamlInventory(String file, YamlFile values) {
        this.file = file;
        this.values = values;
        this.builder = new Inventory.Builder(file);
    }

    static Inventory parse(String text, String file) throws ConfigException {
        Node root = YamlFile.compose(text, file);
        YamlInventory parser = new YamlInventory(file, new YamlFile(file));
        if (root != null) {
            for (NodeTuple group : parser.mapping(root, "the inventory").getValue()) {
                parser.group(parser.values.key(group.getKeyNode()), group.getValueNode(), null);
            }
        }
        return parser.builder.build();
    }

    private void group(String name, Node spec, String parent) throws ConfigException {
        builder.group(name);
        if (parent != null) {
            builder.child(parent, name);
        }
        if (isNull(spec)) {
            return;
        }
        for (NodeTuple entry : mapping(spec, "group '" + name + "'").getValue()) {
            String key = values.key(entry.getKeyNode());
            Node value = entry.getValueNode();
            if (!GROUP_KEYS.contains(key)) {
                throw new ConfigException(file + ":" + YamlFile.line(entry.getKeyNode()) + ": group '" + name
                        + "' has unknown key '" + key + "'; expected hosts, vars or children");
            }
            if (isNull(value)) {
                continue;
            }
            switch (key) {
                case "hosts" -> hosts(name, mapping(value, "hosts of group '" + name + "'"));
                case "vars" -> vars(name, mapping(value, "vars of group '" + name + "'"));
                default -> {
                    for (NodeTuple child : mapping(value, "children of group '" + name + "'").getValue()) {
                        group(values.key(child.getKeyNode()), child.getValueNode(), name);
                    }
                }
            }
        }
    }

    private void hosts(String group, MappingNode hosts) throws ConfigException {
        for (NodeTuple entry : hosts.getValue()) {
            String pattern = values.key(entry.getKeyNode());
            Origin origin = Origin.at(file, YamlFile.line(entry.getKeyNode()));
            Map<String, Object> vars = Map.of();
            if (!isNull(entry.getValueNode())) {
                Object v = values.value(mapping(entry.getValueNode(), "host '" + pattern + "'"));
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) v;
                vars = map;
            }
            java.util.List<String> names;
            try {
                names = HostRange.expand(pattern);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(origin + ": " + e.getMessage());
            }
            for (String name : names) {
                InventoryHost host = builder.host(group, name, origin);
                vars.forEach((k, v) -> host.vars.put(k, Variable.of(k, v, origin)));
            }
        }
    }

    private void vars(String group, MappingNode vars) throws ConfigException {
        for (NodeTuple entry : vars.getValue()) {
            String key = values.key(entry.getKeyNode());
            builder.group(group).vars.put(key, Variable.of(key, values.value(entry.getValueNode()),
                    Origin.at(file, YamlFile.line(entry.getKeyNode()))));
        }
    }

    private MappingNode mapping(Node node, String what) throws ConfigException {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw new ConfigException(file + ":" + YamlFile.line(node) + ": " + what + " should be a mapping, found "
                + YamlFile.kind(node));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }
}
