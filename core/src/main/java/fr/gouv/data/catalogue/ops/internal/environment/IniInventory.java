package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory grammar: {@code [group]}, {@code [group:vars]}, {@code [group:children]},
 * hosts before any section (ungrouped), {@code key=value} host variables (shell quoting), host ranges,
 * {@code host:port}, and {@code #} / {@code ;} comments. Errors name file:line.
 */
final class IniInventory {
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:[#;].*)?$");

    private record Pending(String kind, int line, String parent) {
    }

    private final String file;
    private final Inventory.Builder builder;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private int lineNumber;

    private IniInventory(String file) {
        this.file = file;
        this.builder = new Inventory.Builder(file);
    }

    static Inventory parse(String text, String file) throws ConfigException {
        return new IniInventory(file).run(text);
    }

    private Inventory run(String text) throws ConfigException {
        String group = Inventory.UNGROUPED;
        String kind = "hosts";
        for (String raw : text.split("\r?\n", -1)) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                Matcher m = SECTION.matcher(line);
                if (!m.matches()) {
                    throw error("invalid section header '" + line + "'; write [group], [group:vars] or [group:children]"
                            + " with no spaces and a closing ']'");
                }
                group = m.group(1);
                kind = m.group(2) == null ? "hosts" : m.group(2);
                declare(group, kind, line);
                continue;
            }
            switch (kind) {
                case "hosts" -> hostLine(group, line);
                case "vars" -> varLine(group, line);
                default -> childLine(group, line);
            }
        }
        for (Map.Entry<String, Pending> p : pending.entrySet()) {
            lineNumber = p.getValue().line();
            if (p.getValue().kind().equals("vars")) {
                throw error("section [" + p.getKey() + ":vars] is for a group that is not defined;"
                        + " add a [" + p.getKey() + "] section or fix the name");
            }
            throw error("section [" + p.getValue().parent() + ":children] names undefined group '" + p.getKey()
                    + "'; add a [" + p.getKey() + "] section or fix the name");
        }
        return builder.build();
    }

    private void declare(String group, String kind, String line) throws ConfigException {
        if (!kind.equals("hosts") && !kind.equals("vars") && !kind.equals("children")) {
            throw error("section " + line + " has unknown type '" + kind + "'; use :vars or :children");
        }
        if (!builder.hasGroup(group) && kind.equals("vars") && !pending.containsKey(group)) {
            pending.put(group, new Pending("vars", lineNumber, null));
        }
        builder.group(group);
        Pending waiting = pending.get(group);
        if (waiting != null && !kind.equals("vars")) {
            pending.remove(group);
        }
    }

    private void hostLine(String group, String line) throws ConfigException {
        List<String> tokens = shellSplit(line);
        if (tokens.isEmpty()) {
            return;
        }
        String pattern = tokens.get(0);
        Integer port = null;
        int colon = pattern.lastIndexOf(':');
        if (colon > 0 && pattern.indexOf(':') == colon && pattern.indexOf(']', colon) < 0) {
            String p = pattern.substring(colon + 1);
            if (!p.matches("[0-9]{1,5}")) {
                throw error("host '" + pattern + "': '" + p + "' is not a port number");
            }
            port = Integer.parseInt(p);
            pattern = pattern.substring(0, colon);
        }
        List<String> names;
        try {
            names = HostRange.expand(pattern);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        if (port != null) {
            vars.put("ansible_port", port);
        }
        for (String token : tokens.subList(1, tokens.size())) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw error("expected key=value after host '" + tokens.get(0) + "', found '" + token
                        + "'; quote values that contain spaces");
            }
            vars.put(token.substring(0, eq), Scalars.pythonLiteral(token.substring(eq + 1)));
        }
        Origin origin = Origin.at(file, lineNumber);
        for (String name : names) {
            InventoryHost host = builder.host(group, name, origin);
            vars.forEach((k, v) -> host.vars.put(k, Variable.of(k, v, origin)));
        }
    }

    private void varLine(String group, String line) throws ConfigException {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw error("expected key=value in [" + group + ":vars], found '" + line + "'");
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        builder.group(group).vars.put(key, Variable.of(key, Scalars.pythonLiteral(value), Origin.at(file, lineNumber)));
    }

    private void childLine(String group, String line) throws ConfigException {
        List<String> tokens = shellSplit(line);
        if (tokens.size() != 1) {
            throw error("expected one group name per line in [" + group + ":children], found '" + line + "'");
        }
        String child = tokens.get(0);
        if (!builder.hasGroup(child) && !pending.containsKey(child)) {
            pending.put(child, new Pending("children", lineNumber, group));
        }
        builder.child(group, child);
    }

    /** POSIX shell word splitting with {@code #} comments, as Python's shlex.split(comments=True). */
    List<String> shellSplit(String line) throws ConfigException {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\\\"$`".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#') {
                break;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw error("no closing quotation mark (" + quote + ") in '" + line + "'");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private ConfigException error(String message) {
        return new ConfigException(file + ":" + lineNumber + ": " + message);
    }
}
