package fr.gouv.data.catalogue.ops.testbed;

import java.nio.file.Path;

/**
 * One test host: a Debian root (overlay) in its own network, mount, PID and UTS namespaces,
 * reachable over SSH at {@link #address()} port 22 as root, {@code deploy} (password-less sudo)
 * or {@code asker} (sudo asks {@link RootImage#ASKER_PASSWORD}).
 *
 * @param hostKey the host's public key, "ssh-ed25519 AAAA...", for known_hosts
 */
public record TestHost(String name, String address, String netns, String vethHost, Path dir, String hostKey) {
    public static final int SSH_PORT = 22;

    /** The host's public key as known_hosts wants it ("ssh-ed25519 AAAA..."), read from its root. */
    static String readHostKey(Path root) throws java.io.IOException {
        return java.nio.file.Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key.pub")).strip()
                .replaceAll("\\s+\\S+$", "");
    }

    /** The root of the host's file system, as seen from this machine. */
    public Path root() {
        return dir.resolve("merged");
    }
}
