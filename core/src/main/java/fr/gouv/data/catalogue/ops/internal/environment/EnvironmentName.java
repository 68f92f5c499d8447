package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.util.regex.Pattern;

/** Environment names are folder names under {@code environments/}: no path tricks possible. */
public final class EnvironmentName {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private EnvironmentName() {
    }

    public static String check(String name) throws ConfigException {
        if (name == null || !VALID.matcher(name).matches() || name.length() > 64) {
            throw new ConfigException("invalid environment name '" + name + "': use 1 to 64 lower-case letters,"
                    + " digits, '-' or '_', starting with a letter or digit (e.g. prod, staging, demo-2)");
        }
        return name;
    }
}
