package fr.gouv.data.catalogue.ops.internal.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the state probe found on a host: the lock, {@code current}, the releases and their
 * manifests, the upstreams nginx uses, the complete shared folders, the interpreter's version.
 */
public record HostState(String error, String lock, long lockAgeSeconds, String lockJson, String current, Side.Ports upstreams,
                        boolean upstreamsPresent, List<ReleaseManifest> manifests, List<String> releaseDirs, Set<String> venvs,
                        Set<String> nodeModules, String pythonVersion, boolean siteIncludesUpstreams,
                        boolean originalPrograms, boolean originalCheckout, Map<Side, SideProgram> programs) {

    /** A side's supervisor program file as found: its SHA-256 and the release folder it runs from. */
    public record SideProgram(String sha256, String releaseDir) {
    }

    public static HostState parse(String out) {
        String error = null;
        String lock = "free";
        long age = 0;
        String lockJson = "";
        String current = "";
        String upstreams = "";
        List<ReleaseManifest> manifests = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        Set<String> venvs = new LinkedHashSet<>();
        Set<String> node = new LinkedHashSet<>();
        String python = "";
        boolean site = false;
        boolean originalPrograms = false;
        boolean checkout = false;
        Map<Side, SideProgram> programs = new java.util.EnumMap<>(Side.class);
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "error" -> error = value;
                case "lock" -> lock = value;
                case "lock_age" -> age = value.matches("-?[0-9]+") ? Long.parseLong(value) : 0;
                case "lock_json" -> lockJson = value;
                case "current" -> current = value;
                case "upstreams" -> upstreams = value;
                case "manifest" -> ReleaseManifest.parse(value).ifPresent(manifests::add);
                case "release" -> dirs.add(value);
                case "venv" -> venvs.add(value);
                case "node" -> node.add(value);
                case "python" -> python = value.strip();
                case "site" -> site = value.equals("ok");
                case "program" -> {
                    String[] f = value.split(" ", 3);
                    if (f.length == 3 && (f[0].equals("blue") || f[0].equals("green"))) {
                        programs.put(Side.of(f[0]), new SideProgram(f[1], f[2].strip()));
                    }
                }
                case "original" -> {
                    originalPrograms |= value.equals("programs");
                    checkout |= value.equals("checkout");
                }
                default -> { }
            }
        }
        return new HostState(error, lock, age, lockJson, current, Nginx.parse(upstreams), !upstreams.isBlank(), manifests,
                dirs, venvs, node, python, site, originalPrograms, checkout, Map.copyOf(programs));
    }

    /** The program file of {@code side}, if there is one. */
    public Optional<SideProgram> program(Side side) {
        return Optional.ofNullable(programs.get(side));
    }

    /** The release {@code current} points to ({@code releases/<id>}), if any. */
    public Optional<String> currentId() {
        String id = current.startsWith("releases/") ? current.substring("releases/".length()) : current;
        id = id.contains("/") ? id.substring(id.lastIndexOf('/') + 1) : id;
        return ReleaseLayout.isReleaseId(id) ? Optional.of(id) : Optional.empty();
    }

    public Optional<ReleaseManifest> manifest(String id) {
        return manifests.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /**
     * Whether the last deploy or rollback ended: one release marked live, {@code current} pointing
     * to it, none left prepared. A deploy killed or cut off after its switch leaves this unsettled,
     * and the next one redoes the deploy (even of the live commit), which sets it right.
     */
    public boolean settled() {
        List<ReleaseManifest> marked = manifests.stream().filter(m -> m.state() == ReleaseState.LIVE).toList();
        return marked.size() == 1 && currentId().equals(Optional.of(marked.get(0).id()))
                && manifests.stream().noneMatch(m -> m.state() == ReleaseState.PREPARED);
    }

    /** The release serving: the one marked live, else the one {@code current} points to. */
    public Optional<ReleaseManifest> live() {
        Optional<ReleaseManifest> marked = manifests.stream().filter(m -> m.state() == ReleaseState.LIVE)
                .max(java.util.Comparator.comparing(ReleaseManifest::id));
        return marked.isPresent() ? marked : currentId().flatMap(this::manifest);
    }
}
