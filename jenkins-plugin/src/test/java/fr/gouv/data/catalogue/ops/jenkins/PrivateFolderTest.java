package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps' private temporary folder: 0700 with POSIX permissions; a clear refusal on a file system with neither them nor ACLs. */
class PrivateFolderTest {
    @TempDir
    Path tmp;

    @Test
    void withPosixPermissionsOnlyTheOwnerMayEnter() throws Exception {
        Path dir = PrivateFolder.create(tmp, "catalogue-ops-jenkins-");
        assertTrue(dir.getFileName().toString().startsWith("catalogue-ops-jenkins-"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aFileSystemWithoutPosixPermissionsOrAclsIsRefusedInOneLineAndNothingIsMade() throws Exception {
        // the JDK's zip file system offers neither view (basic and zip only), as FAT or some network shares do
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + tmp.resolve("fs.zip").toUri()), Map.of("create", "true"))) {
            Path parent = zip.getPath("/tmp");
            Files.createDirectories(parent);
            assertFalse(zip.supportedFileAttributeViews().contains("posix"));
            AbortException e = assertThrows(AbortException.class, () -> PrivateFolder.create(parent, "catalogue-ops-jenkins-"));
            assertTrue(e.getMessage().startsWith("cannot make a private temporary folder under /tmp: its file system has neither"
                    + " POSIX permissions nor ACLs (it has basic, zip); point java.io.tmpdir"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            try (Stream<Path> left = Files.list(parent)) {
                assertEquals(0, left.count(), "nothing made");
            }
        }
    }
}
