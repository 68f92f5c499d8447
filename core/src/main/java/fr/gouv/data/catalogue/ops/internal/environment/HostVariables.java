package fr.gouv.data.catalogue.ops.internal.environment;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables of one host, merged by precedence, rendered on demand with Jinja (Jinjava):
 * lazily (a value is rendered when first asked for), recursively (a template may use variables
 * that are templates), with cycle detection. A value derived from a secret is secret too.
 */
public final class HostVariables {
    private static final Pattern SINGLE_EXPRESSION = Pattern.compile("^\\s*\\{\\{((?:(?!\\{\\{|\\}\\}).)*)\\}\\}\\s*$",
            Pattern.DOTALL);
    private static final Jinjava JINJAVA = newJinjava();

    /** A rendered value and whether a secret went into it. */
    public record Resolved(Object value, boolean secret) {
    }

    private final String host;
    private final Map<String, Variable> variables;
    private final Map<String, Object> magic;
    private final HostFacts facts;
    private final VaultAccess vault;
    private final Map<String, Resolved> cache = new HashMap<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    /** The first failure raised inside a template being rendered, which Jinjava may swallow. */
    private Failure pending;

    private static final class Frame {
        final String name;
        final Origin origin;
        boolean secret;

        Frame(String name, Origin origin) {
            this.name = name;
            this.origin = origin;
        }
    }

    /** Lazily opens the vault, for {@code !vault} values. */
    public interface VaultAccess {
        Vault vault() throws OpsException;
    }

    HostVariables(String host, Map<String, Variable> variables, Map<String, Object> magic, HostFacts facts,
                  VaultAccess vault) {
        this.host = host;
        this.variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        this.magic = Map.copyOf(magic);
        this.facts = facts;
        this.vault = vault;
    }

    private static Jinjava newJinjava() {
        // trim_blocks, as Ansible sets it: a block tag takes the newline after it with it
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).withTrimBlocks(true).build());
        TemplateFilters.all().forEach(f -> jinjava.getGlobalContext().registerFilter(f));
        return jinjava;
    }

    /**
     * Builds the template engine and renders once on a daemon thread, for a command that will
     * template variables soon: Jinja's first use (hundreds of classes) then overlaps reading the
     * command line and the environment instead of delaying the first connection.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                JINJAVA.render("{{ [1] | length }}{% if true %}x{% endif %}", java.util.Map.of());
            } catch (RuntimeException ignored) {
                // only a warm-up: the real rendering reports its own errors
            }
        }, "catalogue-ops-jinja-warm-up");
        t.setDaemon(true);
        t.start();
    }

    public String host() {
        return host;
    }

    /** The winning definition of every variable (raw, not rendered), in definition order. */
    public Map<String, Variable> variables() {
        return variables;
    }

    public Optional<Variable> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    public boolean isDefined(String name) {
        return variables.containsKey(name) || magic.containsKey(name);
    }

    /** The rendered value of a variable; an undefined one is a configuration error naming it. */
    public Object get(String name) throws OpsException {
        Resolved r = resolve(name);
        if (r == null) {
            throw new ConfigException(host + ": variable '" + name + "' is not defined; set it in the environment's"
                    + " group_vars, host_vars or secrets");
        }
        return r.value();
    }

    public String getString(String name) throws OpsException {
        Object value = get(name);
        return value == null ? null : String.valueOf(value);
    }

    public Resolved resolve(String name) throws OpsException {
        try {
            return lookup(name);
        } catch (Failure f) {
            throw f.cause;
        }
    }

    /** Renders any template text with this host's variables. */
    public Object render(String template, String what) throws OpsException {
        try {
            return renderValue(template, Origin.of(what));
        } catch (Failure f) {
            throw f.cause;
        }
    }

    /** Carries a checked failure through Jinjava's stack. */
    private static final class Failure extends RuntimeException {
        final OpsException cause;

        Failure(OpsException cause) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
        }
    }

    private Resolved lookup(String name) {
        Resolved cached = cache.get(name);
        if (cached != null) {
            taint(cached.secret());
            return cached;
        }
        Variable variable = variables.get(name);
        if (variable == null) {
            if (magic.containsKey(name)) {
                return new Resolved(magic.get(name), false);
            }
            return null;
        }
        for (Frame f : stack) {
            if (f.name.equals(name)) {
                List<String> chain = new ArrayList<>();
                stack.descendingIterator().forEachRemaining(x -> chain.add(x.name));
                chain.add(name);
                throw new Failure(new ConfigException(variable.origin() + ": template loop in variable '" + name
                        + "' (" + String.join(" -> ", chain) + "); make one of them a plain value"));
            }
        }
        Frame frame = new Frame(name, variable.origin());
        frame.secret = variable.secret();
        stack.push(frame);
        Object value;
        try {
            value = renderValue(variable.value(), variable.origin());
        } finally {
            stack.pop();
        }
        Resolved resolved = new Resolved(value, frame.secret);
        cache.put(name, resolved);
        taint(resolved.secret());
        return resolved;
    }

    private void taint(boolean secret) {
        if (secret) {
            stack.forEach(f -> f.secret = true);
        }
    }

    private Object renderValue(Object raw, Origin origin) {
        if (raw instanceof VaultedValue vaulted) {
            taint(true);
            return decrypt(vaulted);
        }
        if (raw instanceof String text) {
            return text.contains("{{") || text.contains("{%") || text.contains("{#") ? renderString(text, origin) : text;
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(renderValue(item, origin));
            }
            return out;
        }
        if (raw instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), renderValue(e.getValue(), origin));
            }
            return out;
        }
        return raw;
    }

    private Object decrypt(VaultedValue vaulted) {
        try {
            byte[] text = vaulted.vaultText().getBytes(StandardCharsets.US_ASCII);
            return new String(vault.vault().decrypt(text, vaulted.origin() + " (!vault value)").plaintext(),
                    StandardCharsets.UTF_8);
        } catch (OpsException e) {
            throw new Failure(e);
        }
    }

    private Object renderString(String template, Origin origin) {
        JinjavaInterpreter interpreter = new JinjavaInterpreter(JINJAVA, new LazyContext(origin), JINJAVA.getGlobalConfig());
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Matcher single = SINGLE_EXPRESSION.matcher(template);
            Object result = single.matches()
                    ? interpreter.resolveELExpression(single.group(1).strip(), 1)
                    : interpreter.render(template);
            rethrowPending();
            for (TemplateError error : interpreter.getErrors()) {
                // Jinjava only warns about an unclosed {{ or {# and keeps the text; Jinja (Ansible) refuses it.
                if (error.getSeverity() == TemplateError.ErrorType.FATAL
                        || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                    throw templateError(origin, template, syntaxMessage(error.getMessage()));
                }
            }
            return single.matches() && result instanceof Long l && l == l.intValue() ? (Object) l.intValue() : result;
        } catch (Failure f) {
            pending = null;
            throw f;
        } catch (UnknownTokenException e) {
            String filter = unknownFilter(e.getToken());
            if (filter != null) {
                throw new Failure(new ConfigException(origin + ": unknown filter " + filter + " in " + describe(origin)
                        + " '" + template + "'; use a Jinja or Ansible filter (default, trim, quote, bool...)"));
            }
            throw new Failure(new ConfigException(origin + ": undefined variable '" + e.getToken() + "' in "
                    + describe(origin) + " '" + template + "'; define it, or use {{ " + e.getToken() + " | default(...) }}"));
        } catch (RuntimeException e) {
            rethrowPending();
            Failure inner = findFailure(e);
            if (inner != null) {
                throw inner;
            }
            throw templateError(origin, template, e.getMessage());
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static String syntaxMessage(String message) {
        if ("Unclosed token".equals(message)) {
            return "unexpected end of template: a '{{' or '{%' is not closed";
        }
        if ("Unclosed comment".equals(message)) {
            return "unexpected end of template: a '{#' is not closed by '#}'";
        }
        return message;
    }

    /** The first filter of an expression that the template engine does not know, or null. */
    private static String unknownFilter(String expression) {
        String unquoted = expression.replaceAll("'[^']*'|\"[^\"]*\"", "''");
        Matcher m = Pattern.compile("(?<!\\|)\\|\\s*([A-Za-z_][A-Za-z0-9_]*)").matcher(unquoted);
        while (m.find()) {
            if (JINJAVA.getGlobalContext().getFilter(m.group(1)) == null) {
                return m.group(1);
            }
        }
        return null;
    }

    private void rethrowPending() {
        Failure f = pending;
        if (f != null) {
            pending = null;
            throw f;
        }
    }

    private String describe(Origin origin) {
        return stack.isEmpty() ? "template" : "variable '" + stack.peek().name + "'";
    }

    private Failure templateError(Origin origin, String template, String message) {
        return new Failure(new ConfigException(origin + ": template error in " + describe(origin) + " '" + template
                + "': " + String.valueOf(message).replaceAll("\\s+", " ") + "; fix the Jinja expression"));
    }

    private static Failure findFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Failure f) {
                return f;
            }
        }
        return null;
    }

    /** A Jinjava context that resolves this host's variables and facts when a template reads them. */
    private final class LazyContext extends Context {
        private final Origin origin;

        LazyContext(Origin origin) {
            super(JINJAVA.getGlobalContext());
            this.origin = origin;
        }

        @Override
        public Object get(Object key) {
            try {
                return lookupForTemplate(key);
            } catch (Failure f) {
                // Jinjava turns exceptions inside {{ }} into template errors; keep ours to rethrow as is.
                if (pending == null) {
                    pending = f;
                }
                throw f;
            }
        }

        private Object lookupForTemplate(Object key) {
            if (key instanceof String name) {
                Resolved resolved = lookup(name);
                if (resolved != null) {
                    return resolved.value();
                }
                if (name.startsWith("ansible_")) {
                    Optional<Object> fact = facts.fact(name);
                    if (fact.isPresent()) {
                        return fact.get();
                    }
                    String variable = stack.isEmpty() ? "template" : stack.peek().name;
                    throw new Failure(new FactsRequiredException(variable + " (" + origin + ")", name));
                }
            }
            return super.get(key);
        }
    }
}
