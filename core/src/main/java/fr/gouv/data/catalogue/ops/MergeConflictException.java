package fr.gouv.data.catalogue.ops;

import java.util.List;

/** The branch does not merge cleanly into staging; nothing was changed. */
public class MergeConflictException extends StagingException {
    /** The conflicting paths. */
    private final List<String> paths;

    /**
     * A conflict.
     *
     * @param message the one-line message
     * @param paths the conflicting paths
     */
    public MergeConflictException(String message, List<String> paths) {
        super(message);
        this.paths = List.copyOf(paths);
    }

    /**
     * The conflicting paths.
     *
     * @return the paths, relative to the repository
     */
    public List<String> paths() {
        return paths;
    }
}
