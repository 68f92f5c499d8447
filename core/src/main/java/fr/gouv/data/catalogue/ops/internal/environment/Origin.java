package fr.gouv.data.catalogue.ops.internal.environment;

/**
 * Where a value was defined: a file and line when there is one, else a description
 * ("role defaults", "-e on the command line"). Printed as {@code file:line}.
 */
public record Origin(String file, int line, String description) {

    public static Origin of(String description) {
        return new Origin(null, 0, description);
    }

    public static Origin at(String file, int line) {
        return new Origin(file, line, null);
    }

    @Override
    public String toString() {
        if (file == null) {
            return description;
        }
        return line > 0 ? file + ":" + line : file;
    }
}
