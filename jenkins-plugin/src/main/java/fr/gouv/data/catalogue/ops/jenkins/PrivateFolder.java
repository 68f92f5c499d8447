package fr.gouv.data.catalogue.ops.jenkins;

import hudson.AbortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A temporary folder only this process's user can read: mode 0700 where the file system has POSIX
 * permissions, else an ACL granting its owner alone (Windows), else a clear refusal, before anything
 * is copied into it.
 */
final class PrivateFolder {
    private PrivateFolder() {
    }

    /** A new private folder under {@code parent} (e.g. the temp folder), its name starting with {@code prefix}. */
    static Path create(Path parent, String prefix) throws IOException {
        Set<String> views = parent.getFileSystem().supportedFileAttributeViews();
        if (views.contains("posix")) {
            return Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        if (views.contains("acl")) {
            Path dir = Files.createTempDirectory(parent, prefix);
            try {
                AclFileAttributeView acl = Files.getFileAttributeView(dir, AclFileAttributeView.class);
                UserPrincipal owner = acl.getOwner();
                acl.setAcl(List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                        .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build()));
                return dir;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(dir);
                throw new AbortException("cannot make " + dir + " private to its owner (" + e.getMessage() + "); run the step on"
                        + " an agent whose temporary folder (java.io.tmpdir) allows it");
            }
        }
        throw new AbortException("cannot make a private temporary folder under " + parent + ": its file system has neither POSIX"
                + " permissions nor ACLs (it has " + String.join(", ", views.stream().sorted().toList()) + "); point java.io.tmpdir"
                + " of the node's JVM at a folder on a file system that has them");
    }
}
