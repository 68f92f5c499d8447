package fr.gouv.data.catalogue.ops.internal.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which releases to remove: keep the {@code keep} newest healthy releases (the live one always
 * counts among them; the last healthy one before it and the newest {@code previous} one, which a
 * rollback goes back to by default, are never removed); failed and prepared
 * ones do not count and go, except the newest failed one, kept for inspection. Shared
 * virtualenvs and node modules go when no release left links to them.
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
        // a rollback's default target: after deploys and rollbacks back and forth, it can be older than
        // keep's count of rolled-back releases, and the way back must stay
        String rollbackTarget = newestFirst.stream().filter(r -> r.state() == ReleaseState.PREVIOUS && !r.id().equals(liveId))
                .map(ReleaseManifest::id).findFirst().orElse(null);
        for (ReleaseManifest r : newestFirst) {
            if (r.id().equals(liveId)) {
                healthy++;
                pastLive = true;
                continue;
            }
            if (r.id().equals(rollbackTarget)) {
                healthy++;
                previousKept |= pastLive;
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

    /** The shared folders on a host and which release links to which, as {@link DeployScripts#sharedUse} lists them. */
    public record SharedUse(Set<String> venvs, Set<String> nodes, List<String[]> links) {
        public static SharedUse parse(String out) {
            Set<String> venvs = new TreeSet<>();
            Set<String> nodes = new TreeSet<>();
            List<String[]> links = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("venv=")) {
                    venvs.add(line.substring(5).strip());
                } else if (line.startsWith("node=")) {
                    nodes.add(line.substring(5).strip());
                } else if (line.startsWith("uses=")) {
                    String[] f = line.substring(5).strip().split(" ");
                    if (f.length == 3) {
                        links.add(f);
                    }
                }
            }
            return new SharedUse(venvs, nodes, links);
        }

        private Set<String> used(String kind, Collection<String> removedReleases) {
            Set<String> used = new TreeSet<>();
            for (String[] l : links) {
                if (l[1].equals(kind) && !removedReleases.contains(l[0])) {
                    used.add(l[2]);
                }
            }
            return used;
        }

        /** Virtualenvs no release but {@code removedReleases} links to; only names a deploy makes (content keys). */
        public List<String> unusedVenvs(Collection<String> removedReleases) {
            return unused(venvs, used("venv", removedReleases));
        }

        /** Node modules no release but {@code removedReleases} links to. */
        public List<String> unusedNodes(Collection<String> removedReleases) {
            return unused(nodes, used("node", removedReleases));
        }

        private static List<String> unused(Set<String> present, Set<String> used) {
            return present.stream().filter(k -> SHARED_KEY.matcher(k).matches() && !used.contains(k)).toList();
        }
    }

    /** The names of shared folders: the first 16 hex digits of a content digest; anything else is left alone. */
    static final java.util.regex.Pattern SHARED_KEY = java.util.regex.Pattern.compile("[0-9a-f]{16}");
}
