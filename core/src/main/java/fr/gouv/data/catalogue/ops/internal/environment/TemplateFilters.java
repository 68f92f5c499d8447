package fr.gouv.data.catalogue.ops.internal.environment;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.regex.Pattern;

/** Ansible filters that Jinjava lacks: {@code quote}, {@code bool}, {@code mandatory}. */
public final class TemplateFilters {
    private static final Pattern SHELL_SAFE = Pattern.compile("[a-zA-Z0-9@%+=:,./_-]+");

    private TemplateFilters() {
    }

    static List<Filter> all() {
        return List.of(new Quote(), new Bool(), new Mandatory());
    }

    /** Python's shlex.quote, which Ansible's {@code quote} filter is. */
    static String shellQuote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (SHELL_SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static final class Quote implements Filter {
        @Override
        public String getName() {
            return "quote";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return shellQuote(var == null ? "" : String.valueOf(var));
        }
    }

    /** Ansible's {@code bool}: yes, on, 1, true, y, t (any case) are true; anything else, and nothing, false. */
    public static boolean truth(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value == null) {
            return false;
        }
        return switch (String.valueOf(value).strip().toLowerCase()) {
            case "yes", "on", "1", "true", "y", "t" -> true;
            default -> false;
        };
    }

    static final class Bool implements Filter {
        @Override
        public String getName() {
            return "bool";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return truth(var);
        }
    }

    static final class Mandatory implements Filter {
        @Override
        public String getName() {
            return "mandatory";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                throw new IllegalArgumentException(args.length > 0 ? args[0] : "mandatory variable is not defined");
            }
            return var;
        }
    }
}
