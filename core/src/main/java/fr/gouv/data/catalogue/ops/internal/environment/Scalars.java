package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Typing of plain scalars: YAML 1.1 for YAML files, Python literals for INI inventories. */
final class Scalars {
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern PY_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    private Scalars() {
    }

    static Object resolve(ScalarNode scalar) {
        String text = scalar.getValue();
        if (scalar.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN) {
            return text;
        }
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            return switch (text.toLowerCase()) {
                case "yes", "true", "on", "y" -> Boolean.TRUE;
                default -> Boolean.FALSE;
            };
        }
        if (Tag.INT.equals(tag) && INT.matcher(text).matches()) {
            return number(text.replace("_", ""));
        }
        if (Tag.FLOAT.equals(tag) && FLOAT.matcher(text).matches()) {
            return Double.valueOf(text.replace("_", ""));
        }
        return text;
    }

    /** Python's ast.literal_eval as Ansible's INI parser applies it, on the values it commonly meets. */
    static Object pythonLiteral(String text) {
        if (PY_INT.matcher(text).matches()) {
            return number(text);
        }
        if (FLOAT.matcher(text).matches()) {
            return Double.valueOf(text);
        }
        switch (text) {
            case "True":
                return Boolean.TRUE;
            case "False":
                return Boolean.FALSE;
            case "None":
                return null;
            default:
                break;
        }
        if (text.length() >= 2 && (text.startsWith("'") && text.endsWith("'")
                || text.startsWith("\"") && text.endsWith("\""))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    /** Python and YAML integers have no size limit: past a long, the value is a BigInteger. */
    private static Object number(String digits) {
        java.math.BigInteger big = new java.math.BigInteger(digits.startsWith("+") ? digits.substring(1) : digits);
        if (big.bitLength() >= Long.SIZE) {
            return big;
        }
        long value = big.longValue();
        return value == (int) value ? (Object) (int) value : (Object) value;
    }
}
