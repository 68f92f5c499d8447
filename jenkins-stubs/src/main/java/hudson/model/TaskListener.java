package hudson.model;

import java.io.PrintStream;
import java.io.Serializable;

/** Stub of the Jenkins API for compiling the plugin; never packaged. (The real one extends SerializableOnlyOverRemoting, a Serializable.) */
public interface TaskListener extends Serializable {
    PrintStream getLogger();
}
