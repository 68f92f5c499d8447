package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -e} arguments as Ansible reads them: {@code key=value [key=value ...]}, {@code @file}
 * (YAML or JSON), or an inline YAML/JSON mapping. Later arguments override earlier ones.
 */
public final class ExtraVars {
    private final List<String> arguments;

    public ExtraVars(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    public static ExtraVars none() {
        return new ExtraVars(List.of());
    }

    public List<String> arguments() {
        return arguments;
    }

    Map<String, Variable> load(VarsFiles files, Path workingDirectory) throws OpsException {
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (String arg : arguments) {
            String trimmed = arg.strip();
            if (trimmed.startsWith("@")) {
                String name = trimmed.substring(1).strip();
                if (name.isEmpty()) {
                    throw new ConfigException("-e " + arg + ": no file after '@'; write -e @FILE (YAML or JSON)");
                }
                Path file = workingDirectory.resolve(name);
                if (java.nio.file.Files.isDirectory(file)) {
                    throw new ConfigException("-e " + arg + ": " + files.paths().show(file)
                            + " is a directory; give a YAML or JSON file");
                }
                if (!java.nio.file.Files.isRegularFile(file)) {
                    throw new ConfigException("-e " + arg + ": file " + files.paths().show(file)
                            + " does not exist; check the path");
                }
                vars.putAll(files.loadFile(file));
            } else if (trimmed.startsWith("{")) {
                Origin origin = Origin.of("-e on the command line");
                YamlFile.Entries entries = YamlFile.readMapping(trimmed, "-e '" + trimmed + "'");
                files.warn(entries.warnings());
                entries.values().forEach((k, v) -> vars.put(k, Variable.of(k, v, origin)));
            } else {
                for (String pair : splitPairs(arg)) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException("-e " + arg + ": expected key=value, @file or a YAML/JSON mapping");
                    }
                    String key = pair.substring(0, eq);
                    if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                        throw new ConfigException("-e " + arg + ": '" + key + "' is not a valid variable name");
                    }
                    vars.put(key, Variable.of(key, pair.substring(eq + 1), Origin.of("-e on the command line")));
                }
            }
        }
        return vars;
    }

    /**
     * Splits on spaces outside quotes and Jinja blocks, and removes the quotes, as Ansible's
     * parse_kv does ({@code x={{ a }}/b} stays one pair).
     */
    private static List<String> splitPairs(String arg) throws ConfigException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        int jinja = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            String two = i + 1 < arg.length() ? arg.substring(i, i + 2) : "";
            if (two.equals("{{") || two.equals("{%")) {
                jinja++;
                current.append(two);
                i++;
            } else if (jinja > 0 && (two.equals("}}") || two.equals("%}"))) {
                jinja--;
                current.append(two);
                i++;
            } else if (jinja > 0) {
                current.append(c);
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    out.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (quote != 0) {
            throw new ConfigException("-e " + arg + ": no closing quotation mark");
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }
}
