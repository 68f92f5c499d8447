package fr.gouv.data.catalogue.ops;

/**
 * An option of an operation has a value it cannot take (a host not in the inventory, an unknown
 * tag, a count below 1). The message starts with the option's name, so that a front end can spell
 * it its own way ({@code --limit} on the command line).
 */
public class BadOptionException extends ConfigException {
    /** The option, as the Java API spells it. */
    private final String option;

    /**
     * The option and what is wrong with its value.
     *
     * @param option the option's name, as the Java API spells it ({@code limit})
     * @param problem what is wrong, e.g. {@code web-9: no such host in prod; hosts: web-1}
     */
    public BadOptionException(String option, String problem) {
        super(option + " " + problem);
        this.option = option;
    }

    /**
     * The option's name.
     *
     * @return the name, as the Java API spells it
     */
    public String option() {
        return option;
    }
}
