package fr.gouv.data.catalogue.ops;

import java.util.List;

/** The branch does not merge cleanly into staging; nothing was changed. */
public class MergeConflictException extends StagingException {
    private final List<String> paths;

    public MergeConflictException(String message, List<String> paths) {
        super(message);
        this.paths = List.copyOf(paths);
    }

    public List<String> paths() {
        return paths;
    }
}
