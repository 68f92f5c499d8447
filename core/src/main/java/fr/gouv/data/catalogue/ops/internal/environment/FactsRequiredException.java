package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.OpsException;

/** A value depends on a host fact (such as {@code ansible_env.HOME}) and no host was asked. */
public class FactsRequiredException extends OpsException {
    private final String fact;

    public FactsRequiredException(String variable, String fact) {
        super(variable + " depends on the host fact '" + fact + "', known only once connected to the host");
        this.fact = fact;
    }

    public String fact() {
        return fact;
    }
}
