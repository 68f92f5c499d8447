package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.OpsException;

/** A test host could not be created, reached or destroyed. */
public class TestbedException extends OpsException {
    public TestbedException(String message) {
        super(message);
    }
}
