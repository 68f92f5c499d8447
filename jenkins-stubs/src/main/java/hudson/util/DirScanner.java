package hudson.util;

import java.io.Serializable;

/**
 * Stub of the Jenkins API for compiling the plugin; never packaged. Only the members the plugin
 * uses: {@link Glob} with its three-argument constructor (in Jenkins since 1.343, unchanged in
 * 2.346.1, 2.479.1 and today), whose last argument turns Ant's default excludes off.
 */
public abstract class DirScanner implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Scans by Ant glob: includes, excludes (null for none), and whether Ant's default excludes apply. */
    public static class Glob extends DirScanner {
        private static final long serialVersionUID = 1L;

        public Glob(String includes, String excludes) {
            throw new UnsupportedOperationException("stub");
        }

        public Glob(String includes, String excludes, boolean useDefaultExcludes) {
            throw new UnsupportedOperationException("stub");
        }
    }
}
