package hudson.util;

import java.io.File;
import java.io.Serializable;
import java.util.List;
import org.apache.tools.ant.DirectoryScanner;

/**
 * The test harness's DirScanner (it shadows the stub on the test class path): {@link Glob} scans
 * with Ant's own DirectoryScanner, Ant's default excludes on unless turned off, and yields
 * files only, as Jenkins' DirScanner.Glob does (it asks Ant for the included files).
 */
public abstract class DirScanner implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The paths, relative to {@code dir} and with '/', of the files this scanner selects. */
    public abstract List<String> includedFiles(File dir);

    public static class Glob extends DirScanner {
        private static final long serialVersionUID = 1L;
        private final String includes;
        private final String excludes;
        private final boolean useDefaultExcludes;

        public Glob(String includes, String excludes) {
            this(includes, excludes, true);
        }

        public Glob(String includes, String excludes, boolean useDefaultExcludes) {
            this.includes = includes;
            this.excludes = excludes;
            this.useDefaultExcludes = useDefaultExcludes;
        }

        @Override
        public List<String> includedFiles(File dir) {
            if (!dir.exists()) {
                return List.of();
            }
            DirectoryScanner ds = new DirectoryScanner();
            ds.setBasedir(dir);
            ds.setIncludes(includes.split("\\s*,\\s*"));
            if (excludes != null) {
                ds.setExcludes(excludes.split("\\s*,\\s*"));
            }
            if (useDefaultExcludes) {
                ds.addDefaultExcludes();
            }
            ds.scan();
            return java.util.Arrays.stream(ds.getIncludedFiles()).map(f -> f.replace(File.separatorChar, '/')).toList();
        }
    }
}
