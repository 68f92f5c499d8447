package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Debian bookworm root every test host is an overlay of: debootstrap minbase plus a few
 * packages, users, sshd settings and this machine's extra CA certificates. Built once and cached
 * outside the repository, keyed by everything that goes into it.
 */
public final class RootImage {
    public static final Path CACHE = Path.of("/var/cache/catalogue-ops/testbed");
    static final List<String> PACKAGES = List.of("openssh-server", "sudo", "python3", "ca-certificates", "git", "curl");
    static final Path LOCAL_CAS = Path.of("/usr/local/share/ca-certificates");
    /**
     * dpkg on test hosts writes without syncing each file: a test host is thrown away, never
     * recovered after a crash, and the fsyncs of a package as large as npm's (hundreds of small
     * packages) made most of its install time.
     */
    static final String DPKG_SETTINGS = "# test host: thrown away, never recovered after a crash\nforce-unsafe-io\n";
    /** The password of user {@code asker}, whose sudo asks for it (test hosts only). */
    public static final String ASKER_PASSWORD = "asker-sudo-password";

    private RootImage() {
    }

    /** The root folder, built first when missing. */
    public static Path ensure(PackageMirrors mirrors) throws TestbedException {
        String key = key(mirrors);
        Path root = CACHE.resolve("rootfs-" + key);
        if (Files.isRegularFile(root.resolve(".testbed-complete"))) {
            return root;
        }
        try {
            Files.createDirectories(CACHE);
            try (FileChannel lockFile = FileChannel.open(CACHE.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockFile.lock()) {
                if (Files.isRegularFile(root.resolve(".testbed-complete"))) {
                    return root; // another run built it while we waited
                }
                Path building = CACHE.resolve("rootfs-" + key + ".building");
                LocalCommand.runQuietly(List.of("rm", "-rf", building.toString()));
                build(building, mirrors);
                Files.move(building, root, StandardCopyOption.ATOMIC_MOVE);
                pruneOthers(root);
                return root;
            }
        } catch (IOException e) {
            throw new TestbedException("cannot build the test host image in " + CACHE + ": " + e.getMessage());
        }
    }

    private static void build(Path dir, PackageMirrors mirrors) throws TestbedException, IOException {
        LocalCommand.run(List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", PACKAGES),
                "bookworm", dir.toString(), mirrors.debianMirror().toString()), 1800);
        chroot(dir, "useradd", "-m", "-s", "/bin/bash", "deploy");
        chroot(dir, "useradd", "-m", "-s", "/bin/bash", "asker");
        chroot(dir, "usermod", "-p", "*", "deploy");
        LocalCommand.run(List.of("chroot", dir.toString(), "chpasswd"), 60,
                ("asker:" + ASKER_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        write(dir, "etc/sudoers.d/testbed", "deploy ALL=(ALL:ALL) NOPASSWD: ALL\nasker ALL=(ALL:ALL) ALL\n", "r--r-----");
        write(dir, "etc/ssh/sshd_config.d/testbed.conf", """
                # Test host: keys only, root by key, no PAM (no systemd or loginuid in a namespace).
                PermitRootLogin prohibit-password
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                UseDNS no
                PrintMotd no
                HostKey /etc/ssh/ssh_host_ed25519_key
                """, "rw-r--r--");
        try (Stream<Path> keys = Files.list(dir.resolve("etc/ssh"))) {
            for (Path k : keys.filter(p -> p.getFileName().toString().startsWith("ssh_host_")).toList()) {
                Files.delete(k);
            }
        }
        if (Files.isDirectory(LOCAL_CAS)) {
            try (Stream<Path> cas = Files.list(LOCAL_CAS)) {
                for (Path ca : cas.filter(p -> p.toString().endsWith(".crt")).toList()) {
                    Files.copy(ca, dir.resolve("usr/local/share/ca-certificates").resolve(ca.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            chroot(dir, "update-ca-certificates");
        }
        write(dir, "etc/dpkg/dpkg.cfg.d/testbed", DPKG_SETTINGS, "rw-r--r--");
        write(dir, "etc/environment", "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n", "rw-r--r--");
        write(dir, "usr/local/sbin/testbed-init", initScript(), "rwxr-xr-x");
        LocalCommand.runQuietly(List.of("chroot", dir.toString(), "apt-get", "clean"));
        Files.writeString(dir.resolve(".testbed-complete"), key(mirrors) + "\n");
    }

    /** Removes older images that no running test host uses as its lower layer. */
    private static void pruneOthers(Path keep) {
        try (Stream<Path> images = Files.list(CACHE)) {
            String mounts = Files.readString(Path.of("/proc/self/mounts"));
            for (Path old : images.filter(p -> p.getFileName().toString().startsWith("rootfs-") && !p.equals(keep)).toList()) {
                if (!mounts.contains("lowerdir=" + old + ",") && !mounts.contains("lowerdir=" + old + " ")) {
                    LocalCommand.runQuietly(List.of("rm", "-rf", "--one-file-system", old.toString()));
                }
            }
        } catch (IOException ignored) {
            // an old image only costs disk space
        }
    }

    private static void chroot(Path dir, String... command) throws TestbedException {
        List<String> argv = new ArrayList<>(List.of("chroot", dir.toString()));
        argv.addAll(List.of(command));
        LocalCommand.run(argv, 300);
    }

    static void write(Path root, String relative, String content, String mode) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    static String initScript() {
        try (InputStream in = RootImage.class.getResourceAsStream("testbed-init.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("testbed-init.py is missing from the testbed jar", e);
        }
    }

    /** Changes to the package list, mirror, CA certificates or init script make a new image. */
    static String key(PackageMirrors mirrors) throws TestbedException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("bookworm|minbase|" + String.join(",", PACKAGES) + "|" + mirrors.debianMirror() + "|"
                    + ASKER_PASSWORD + "|").getBytes(StandardCharsets.UTF_8));
            sha.update(initScript().getBytes(StandardCharsets.UTF_8));
            sha.update(DPKG_SETTINGS.getBytes(StandardCharsets.UTF_8));
            if (Files.isDirectory(LOCAL_CAS)) {
                try (Stream<Path> cas = Files.list(LOCAL_CAS)) {
                    for (Path ca : cas.sorted().toList()) {
                        sha.update(Files.readAllBytes(ca));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new TestbedException("cannot compute the image key: " + e.getMessage());
        }
    }
}
