package hudson;

import java.util.TreeMap;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public class EnvVars extends TreeMap<String, String> {
    private static final long serialVersionUID = 4320331661987259022L;

    /** Only the map: tests put their environment in it. */
    public EnvVars() {
    }
}
