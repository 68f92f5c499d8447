package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Debian packages test hosts downloaded, kept on this machine for the next test hosts, as a
 * package mirror on the local network would: a new host finds them in its apt archive folder, and
 * apt, which checks each file against the package lists it has fetched, downloads only what is
 * missing or has changed. A host's downloads are added when it is removed. The files are hard
 * links (apt never writes into a package file: it downloads into {@code partial/} and renames).
 */
final class PackageCache {
    static final Path DIR = RootImage.CACHE.resolve("debs");
    static final String ARCHIVES = "var/cache/apt/archives";

    private PackageCache() {
    }

    /** Puts the cached packages into a new host's upper layer, before its overlay is mounted. */
    static void seed(Path upper) throws IOException {
        seed(DIR, upper);
    }

    static void seed(Path cache, Path upper) throws IOException {
        if (!Files.isDirectory(cache)) {
            return;
        }
        Path archives = Files.createDirectories(upper.resolve(ARCHIVES).resolve("partial")).getParent();
        for (Path deb : debs(cache)) {
            link(deb, archives.resolve(deb.getFileName()));
        }
    }

    /** Keeps what a host downloaded (its upper layer's archive folder) for the next hosts; best effort. */
    static void harvest(Path upper) {
        harvest(DIR, upper);
    }

    static void harvest(Path cache, Path upper) {
        Path archives = upper.resolve(ARCHIVES);
        if (!Files.isDirectory(archives)) {
            return;
        }
        try {
            Files.createDirectories(cache);
            for (Path deb : debs(archives)) {
                Path kept = cache.resolve(deb.getFileName());
                if (!Files.exists(kept)) {
                    // under a temporary name first: another removal may keep the same file at the same time
                    Path temp = cache.resolve(".in-" + ProcessHandle.current().pid() + "-" + deb.getFileName());
                    Files.deleteIfExists(temp);
                    link(deb, temp);
                    Files.move(temp, kept, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } catch (IOException e) {
            // the cache only saves downloads
        }
    }

    private static List<Path> debs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".deb") && Files.isRegularFile(p)).toList();
        }
    }

    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (FileAlreadyExistsException e) {
            // already there
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
