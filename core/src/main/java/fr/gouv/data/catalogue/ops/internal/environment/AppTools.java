package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The app's named tools, run in the live release by {@code catalogue-ops run ENV TOOL}: the
 * built-in {@code dedupe-tags} (the app's {@code tools.remove_duplicated_tags}) and those the
 * variable {@code tools} declares, a mapping of names to argument lists run from the release's
 * folder (so {@code venv/bin/python} is the release's interpreter). A declared name replaces a
 * built-in one. Pure: reading and validating the variable's value.
 */
public final class AppTools {
    /** The variable declaring more tools. */
    public static final String VARIABLE = "tools";
    /** The tools every environment has. */
    public static final Map<String, List<String>> BUILT_IN = Map.of("dedupe-tags",
            List.of("venv/bin/python", "-m", "tools.remove_duplicated_tags"));
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** A tool: its name, what it runs, and whether it is built in. */
    public record Tool(String name, List<String> argv, boolean builtIn) {
        public Tool {
            argv = List.copyOf(argv);
        }
    }

    private final Map<String, Tool> tools;

    private AppTools(Map<String, Tool> tools) {
        this.tools = tools;
    }

    /**
     * The tools for a {@code tools} value (null: none declared); an invalid value gives the
     * built-in tools only (see {@link #problems} for what is wrong with it).
     */
    public static AppTools of(Object declared) {
        Map<String, Tool> all = new LinkedHashMap<>();
        BUILT_IN.keySet().stream().sorted().forEach(n -> all.put(n, new Tool(n, BUILT_IN.get(n), true)));
        if (declared instanceof Map<?, ?> m && problems(declared).isEmpty()) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                List<String> argv = new ArrayList<>();
                for (Object a : (List<?>) e.getValue()) {
                    argv.add(String.valueOf(a));
                }
                all.put(String.valueOf(e.getKey()), new Tool(String.valueOf(e.getKey()), argv, false));
            }
        }
        return new AppTools(all);
    }

    /** What is wrong with a {@code tools} value, one message per problem (empty: nothing). */
    public static List<String> problems(Object declared) {
        List<String> out = new ArrayList<>();
        if (declared == null) {
            return out;
        }
        if (!(declared instanceof Map<?, ?> m)) {
            out.add("tools must be a mapping of tool names to argument lists (e.g. tools: {stats: [venv/bin/python, -m,"
                    + " tools.stats]}), found " + describe(declared));
            return out;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!NAME.matcher(name).matches()) {
                out.add("tools: '" + name + "' is not a tool name; use lowercase letters, digits, '-', '_' and '.'"
                        + " (at most 64, starting with a letter or digit)");
                continue;
            }
            if (!(e.getValue() instanceof List<?> argv) || argv.isEmpty()) {
                out.add("tools/" + name + " must be a non-empty list of arguments (e.g. [venv/bin/python, -m, tools." + name
                        + "]), found " + describe(e.getValue()));
                continue;
            }
            for (int i = 0; i < argv.size(); i++) {
                Object a = argv.get(i);
                if (a == null || a instanceof Map || a instanceof List || String.valueOf(a).isEmpty()) {
                    out.add("tools/" + name + "/" + i + " must be a non-empty string, found " + describe(a));
                }
            }
        }
        return out;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "an empty list" : "a list";
        }
        return "'" + v + "'";
    }

    /** Every tool: the built-in ones first, then the declared ones in their file's order. */
    public List<Tool> tools() {
        return List.copyOf(tools.values());
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** The names, for a message listing the known tools. */
    public String names() {
        return String.join(", ", tools.keySet());
    }
}
