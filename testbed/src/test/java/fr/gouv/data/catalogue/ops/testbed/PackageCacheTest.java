package fr.gouv.data.catalogue.ops.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCacheTest {
    @TempDir
    Path tmp;

    @Test
    void whatOneHostDownloadedIsInTheNextHostsArchivesAsTheSameFiles() throws Exception {
        Path cache = tmp.resolve("debs");
        Path first = tmp.resolve("first/upper");
        Path archives = Files.createDirectories(first.resolve(PackageCache.ARCHIVES).resolve("partial")).getParent();
        Files.writeString(archives.resolve("npm_9.2.0_all.deb"), "npm");
        Files.writeString(archives.resolve("nginx_1.22_amd64.deb"), "nginx");
        Files.writeString(archives.resolve("partial/nodejs_18_amd64.deb"), "half");   // not complete: never kept
        Files.writeString(archives.resolve("lock"), "");

        PackageCache.harvest(cache, first);
        assertEquals(List.of("nginx_1.22_amd64.deb", "npm_9.2.0_all.deb"), names(cache));
        assertTrue(Files.isSameFile(archives.resolve("npm_9.2.0_all.deb"), cache.resolve("npm_9.2.0_all.deb")), "a hard link");

        Path next = tmp.resolve("next/upper");
        PackageCache.seed(cache, next);
        Path seeded = next.resolve(PackageCache.ARCHIVES);
        assertEquals(List.of("nginx_1.22_amd64.deb", "npm_9.2.0_all.deb", "partial"), names(seeded));
        assertEquals("npm", Files.readString(seeded.resolve("npm_9.2.0_all.deb")));

        // a second removal with the same files keeps one copy, and a host with nothing adds nothing
        PackageCache.harvest(cache, first);
        PackageCache.harvest(cache, tmp.resolve("empty/upper"));
        assertEquals(List.of("nginx_1.22_amd64.deb", "npm_9.2.0_all.deb"), names(cache));
    }

    @Test
    void noCacheYetSeedsNothing() throws Exception {
        Path upper = tmp.resolve("upper");
        PackageCache.seed(tmp.resolve("none"), upper);
        assertFalse(Files.exists(upper.resolve(PackageCache.ARCHIVES)));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
