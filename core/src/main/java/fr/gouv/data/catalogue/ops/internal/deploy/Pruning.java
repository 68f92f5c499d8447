package fr.gouv.data.catalogue.ops.internal.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which releases to remove: keep the {@code keep} newest healthy releases (the live one always
 * counts among them, and the last healthy one before it is never removed); failed and prepared
 * ones do not count and go, except the newest failed one, kept for inspection.
 */
public final class Pruning {
    private Pruning() {
    }

    /** The ids of the releases to remove, oldest first. */
    public static List<String> toRemove(List<ReleaseManifest> releases, String liveId, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1");
        }
        List<ReleaseManifest> newestFirst = new ArrayList<>(releases);
        newestFirst.sort(Comparator.comparing(ReleaseManifest::id).reversed());
        List<String> remove = new ArrayList<>();
        int healthy = 0;
        boolean failedKept = false;
        boolean previousKept = false;
        boolean pastLive = liveId == null;
        for (ReleaseManifest r : newestFirst) {
            if (r.id().equals(liveId)) {
                healthy++;
                pastLive = true;
                continue;
            }
            if (r.state().healthy()) {
                boolean lastGoodBeforeLive = pastLive && !previousKept;
                if (lastGoodBeforeLive) {
                    previousKept = true;
                }
                if (healthy < keep || lastGoodBeforeLive) {
                    healthy++;
                } else {
                    remove.add(r.id());
                }
            } else if (r.state() == ReleaseState.FAILED && !failedKept) {
                failedKept = true;
            } else {
                remove.add(r.id());
            }
        }
        remove.sort(null);
        return remove;
    }
}
