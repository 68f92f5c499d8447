package fr.gouv.data.catalogue.ops.jenkins;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Makes a step from named arguments the way Pipeline's DescribableModel does: the
 * {@code @DataBoundConstructor}'s parameters by their names (compiled with -parameters), then a
 * {@code @DataBoundSetter} per remaining name (in the class or its superclasses); a name that is
 * neither is refused, as is a missing constructor argument. Values are converted as Pipeline
 * converts the simple types (numbers to int, anything to String).
 */
final class PipelineArguments {
    private PipelineArguments() {
    }

    static <T extends Step> T instantiate(Class<T> type, Map<String, ?> arguments) throws Exception {
        Constructor<?> constructor = null;
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                constructor = c;
            }
        }
        if (constructor == null) {
            throw new IllegalStateException(type.getName() + " has no @DataBoundConstructor");
        }
        Map<String, Object> left = new HashMap<>(arguments);
        Parameter[] params = constructor.getParameters();
        Object[] values = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            if (!params[i].isNamePresent()) {
                throw new IllegalStateException(type.getName() + " was compiled without -parameters");
            }
            String name = params[i].getName();
            if (!left.containsKey(name)) {
                throw new IllegalArgumentException(type.getSimpleName() + ": missing required parameter '" + name + "'");
            }
            values[i] = convert(left.remove(name), params[i].getType(), name);
        }
        T step = type.cast(constructor.newInstance(values));
        Map<String, Method> setters = setters(type);
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Object> e : left.entrySet()) {
            Method setter = setters.get(e.getKey());
            if (setter == null) {
                unknown.add(e.getKey());
                continue;
            }
            setter.invoke(step, convert(e.getValue(), setter.getParameterTypes()[0], e.getKey()));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter(s) " + new TreeSet<>(unknown) + " for " + type.getSimpleName()
                    + "; known: " + new TreeSet<>(setters.keySet()));
        }
        return step;
    }

    /** Property name to its {@code @DataBoundSetter}, from the class and its superclasses. */
    static Map<String, Method> setters(Class<?> type) {
        Map<String, Method> setters = new HashMap<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (!m.isBridge() && m.isAnnotationPresent(DataBoundSetter.class) && m.getName().startsWith("set")
                        && m.getParameterCount() == 1) {
                    String property = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                    m.setAccessible(true);
                    setters.putIfAbsent(property, m);
                }
            }
        }
        return setters;
    }

    private static Object convert(Object value, Class<?> to, String name) {
        if (value == null || to.isInstance(value)) {
            return value;
        }
        if ((to == int.class || to == Integer.class) && value instanceof Number n) {
            return n.intValue();
        }
        if (to == boolean.class && value instanceof Boolean b) {
            return b;
        }
        if (to == String.class && (value instanceof CharSequence || value instanceof Number || value instanceof Boolean)) {
            return value.toString();
        }
        throw new IllegalArgumentException(name + ": expected " + to.getSimpleName() + ", got " + value.getClass().getSimpleName());
    }
}
