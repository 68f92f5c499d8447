package hudson.model;

import java.io.Serializable;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public final class Result implements Serializable {
    private static final long serialVersionUID = 1L;
}
