package fr.gouv.data.catalogue.ops.internal.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Host key checking against known_hosts files, refusing unknown and changed keys (the original
 * tooling disabled checking; we never do). Remembers what it saw, so that a refusal can say which
 * key and what to do.
 */
public final class HostKeys implements HostKeyVerifier {
    public enum Outcome { MATCH, UNKNOWN, CHANGED }

    private final List<Path> files;
    private Outcome outcome;
    private PublicKey seen;
    private Path changedIn;

    public HostKeys(List<Path> files) {
        this.files = List.copyOf(files);
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        seen = key;
        outcome = Outcome.UNKNOWN;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Outcome[] result = {Outcome.MATCH};
            try {
                OpenSSHKnownHosts known = new OpenSSHKnownHosts(file.toFile()) {
                    @Override
                    protected boolean hostKeyUnverifiableAction(String h, PublicKey k) {
                        result[0] = Outcome.UNKNOWN;
                        return false;
                    }

                    @Override
                    protected boolean hostKeyChangedAction(String h, PublicKey k) {
                        result[0] = Outcome.CHANGED;
                        return false;
                    }
                };
                if (known.verify(hostname, port, key)) {
                    outcome = Outcome.MATCH;
                    return true;
                }
            } catch (IOException e) {
                continue; // an unreadable file proves nothing
            }
            if (result[0] == Outcome.CHANGED) {
                outcome = Outcome.CHANGED;
                changedIn = file;
                return false;
            }
        }
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of();
    }

    public Outcome outcome() {
        return outcome;
    }

    public PublicKey seen() {
        return seen;
    }

    public Path changedIn() {
        return changedIn;
    }

    /** "ssh-ed25519 SHA256:..." as ssh-keygen -l prints it. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            String sha = Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
            return KeyType.fromKey(key) + " SHA256:" + sha;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The known_hosts line for a host ("[host]:port" when the port is not 22). */
    public static String knownHostsLine(String host, int port, PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        String name = port == 22 ? host : "[" + host + "]:" + port;
        return name + " " + KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob);
    }

    /** Appends lines to a known_hosts file (created 0644 when missing). */
    public static void record(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder text = new StringBuilder();
        if (Files.isRegularFile(file) && Files.size(file) > 0 && !Files.readString(file).endsWith("\n")) {
            text.append('\n');
        }
        lines.forEach(l -> text.append(l).append('\n'));
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

}
