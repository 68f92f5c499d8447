package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML as Ansible does, keeping the line of every key (for messages) and turning
 * {@code !vault} scalars into {@link VaultedValue}s. Values are plain Java: String, Integer/Long,
 * Double, Boolean, null, List, Map (insertion-ordered).
 */
public final class YamlFile {
    private static final Tag VAULT = new Tag("!vault");
    private static final Tag UNSAFE = new Tag("!unsafe");

    /** Tags a value may carry: YAML's own (as Ansible's safe loader knows them) and Ansible's two. */
    private static final List<Tag> KNOWN_TAGS = List.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ,
            Tag.TIMESTAMP, Tag.BINARY, Tag.MERGE, VAULT, UNSAFE);

    /**
     * A mapping with the line of each key, and the warnings about it (duplicate keys, which Ansible
     * accepts with a warning and the last value).
     */
    public record Entries(Map<String, Object> values, Map<String, Integer> lines, List<String> warnings) {
    }

    private final String file;
    private final List<String> warnings = new ArrayList<>();

    YamlFile(String file) {
        this.file = file;
    }

    /** Parses a YAML document that must be a mapping (or empty). */
    public static Entries readMapping(String text, String file) throws ConfigException {
        YamlFile reader = new YamlFile(file);
        Node root = reader.compose(text);
        if (root == null) {
            return new Entries(new LinkedHashMap<>(), new LinkedHashMap<>(), List.of());
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new ConfigException(file + ":" + line(root) + ": expected a mapping of variables (key: value), found "
                    + kind(root) + "; fix the file");
        }
        reader.checkTag(root);
        reader.warnDuplicates(mapping);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = reader.key(tuple.getKeyNode());
            values.put(key, reader.value(tuple.getValueNode()));
            lines.put(key, line(tuple.getKeyNode()));
        }
        return new Entries(values, lines, List.copyOf(reader.warnings));
    }

    /**
     * Decodes a file's bytes as UTF-8, refusing what is not (instead of replacing it with U+FFFD,
     * which would silently change a value), with the line of the first bad byte.
     */
    public static String text(byte[] bytes, String file) throws ConfigException {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult result = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            int bad = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new ConfigException(file + ":" + line + ": not UTF-8 (byte 0x"
                    + String.format("%02x", bytes[bad] & 0xff) + " at byte " + (bad - lineStart + 1)
                    + " of the line); save the file as UTF-8");
        }
        return out.flip().toString();
    }

    /** Parses any YAML document to plain values, or null when empty. */
    public static Object read(String text, String file) throws ConfigException {
        YamlFile reader = new YamlFile(file);
        Node root = reader.compose(text);
        return root == null ? null : reader.value(root);
    }

    /** The node graph itself, for readers that need lines deeper than the top level (YAML inventories). */
    static Node compose(String text, String file) throws ConfigException {
        return new YamlFile(file).compose(text);
    }

    private Node compose(String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // Ansible warns and keeps the last one
        try {
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? file : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw new ConfigException(where + ": YAML syntax error: " + oneLine(e.getProblem())
                    + "; fix the YAML (indentation, quotes, colons)");
        } catch (YAMLException e) {
            throw new ConfigException(file + ": YAML error: " + oneLine(e.getMessage()) + "; fix the YAML");
        }
    }

    private static String oneLine(String s) {
        return s == null ? "invalid YAML" : s.replaceAll("\\s+", " ").strip();
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "a scalar";
    }

    String key(Node node) throws ConfigException {
        Object key = value(node);
        if (key instanceof String || key instanceof Number || key instanceof Boolean) {
            return String.valueOf(key);
        }
        throw new ConfigException(file + ":" + line(node) + ": a key must be a plain string, found " + kind(node));
    }

    /** Refuses tags that Ansible's loader does not know, rather than dropping them silently. */
    private void checkTag(Node node) throws ConfigException {
        Tag tag = node.getTag();
        if (!KNOWN_TAGS.contains(tag)) {
            throw new ConfigException(file + ":" + line(node) + ": unknown YAML tag '" + tag.getValue()
                    + "'; Ansible knows !vault and !unsafe: remove the tag or fix its name");
        }
        if (VAULT.equals(tag) && !(node instanceof ScalarNode)) {
            throw new ConfigException(file + ":" + line(node) + ": !vault on " + kind(node) + "; !vault takes the"
                    + " encrypted block that catalogue-ops vault encrypt-string prints, one per value");
        }
    }

    private void warnDuplicates(MappingNode mapping) throws ConfigException {
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (keyNode instanceof ScalarNode k && Tag.MERGE.equals(k.getTag())) {
                continue;
            }
            String key = key(keyNode);
            Integer first = seen.putIfAbsent(key, line(keyNode));
            if (first != null) {
                warnings.add(file + ":" + line(keyNode) + ": duplicate key '" + key + "' (also at line " + first
                        + "); the last value is used, as Ansible does; remove one of them");
            }
        }
    }

    Object value(Node node) throws ConfigException {
        checkTag(node);
        if (node instanceof MappingNode mapping) {
            warnDuplicates(mapping);
            new MergeKeys(mapping).flatten();
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                map.put(key(tuple.getKeyNode()), value(tuple.getValueNode()));
            }
            return map;
        }
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                list.add(value(item));
            }
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        if (VAULT.equals(scalar.getTag())) {
            return new VaultedValue(scalar.getValue(), Origin.at(file, line(node)));
        }
        if (UNSAFE.equals(scalar.getTag())) {
            return scalar.getValue();
        }
        return Scalars.resolve(scalar);
    }

    /** Applies YAML merge keys ({@code <<: *anchor}) the way Ansible's loader does. */
    private record MergeKeys(MappingNode mapping) {
        void flatten() {
            List<NodeTuple> merged = new ArrayList<>();
            List<NodeTuple> own = new ArrayList<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && Tag.MERGE.equals(k.getTag())) {
                    Node source = tuple.getValueNode();
                    if (source instanceof MappingNode m) {
                        new MergeKeys(m).flatten();
                        merged.addAll(m.getValue());
                    } else if (source instanceof SequenceNode s) {
                        for (Node item : s.getValue()) {
                            if (item instanceof MappingNode m) {
                                new MergeKeys(m).flatten();
                                merged.addAll(m.getValue());
                            }
                        }
                    }
                } else {
                    own.add(tuple);
                }
            }
            if (!merged.isEmpty()) {
                merged.addAll(own);
                mapping.setValue(merged);
            }
        }
    }
}
