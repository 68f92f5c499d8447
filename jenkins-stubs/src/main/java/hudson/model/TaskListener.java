package hudson.model;

import java.io.PrintStream;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface TaskListener extends SerializableOnlyOverRemoting {
    PrintStream getLogger();
}
