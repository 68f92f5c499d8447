package fr.gouv.data.catalogue.ops.jenkins;

import hudson.AbortException;

/** A step on one environment of the ops folder: {@code env}, required, is its constructor's argument. */
abstract class EnvironmentStep extends OpsStep {
    private final String env;

    EnvironmentStep(String env) {
        this.env = env;
    }

    public String getEnv() {
        return env;
    }

    /** Fails in one line, with an example call, when {@code env} is missing. */
    void requireEnv(String example) throws AbortException {
        if (env == null || env.isBlank()) {
            throw new AbortException(example.substring(0, example.indexOf(' ')) + ": env is required, e.g. " + example);
        }
    }
}
