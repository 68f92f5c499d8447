package fr.gouv.data.catalogue.ops.testing;

import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds an ops/ansible folder in a temporary directory, file by file. */
public final class OpsFixture {
    public static final String PASSWORD = "test-vault-password";

    private final Path root;

    public OpsFixture(Path root) {
        this.root = root;
    }

    /** The repository-like root (holding ops/ansible). */
    public Path root() {
        return root;
    }

    public Path opsDir() {
        return root.resolve("ops/ansible");
    }

    public OpsFixture file(String relative, String content) {
        try {
            Path p = opsDir().resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public VaultSecret secret() {
        return new VaultSecret("default", PASSWORD.getBytes(StandardCharsets.UTF_8), "test");
    }

    public Vault vault() {
        return new Vault(List.of(secret()));
    }

    public String encrypt(String plaintext) {
        try {
            return new String(vault().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), secret()), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An inline {@code !vault} value for a YAML file. */
    public String inline(String name, String plaintext) {
        try {
            return Vault.formatInline(vault().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), secret()), name) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public OpsFixture secrets(String env, String yaml) {
        return file("environments/" + env + "/secrets", encrypt(yaml));
    }

    public OpsFixture passwordFile() {
        return file("vault-password", PASSWORD + "\n");
    }

    /** A complete, valid environment like the original's prod. */
    public OpsFixture validEnvironment(String env) {
        file("group_vars/web.yml", """
                workdir: "{{ ansible_env.HOME }}/catalogage"
                git_repo: "https://example.org/app.git"
                api_port: 3579
                client_port: 3000
                domain_name: "{{ inventory_hostname }}"
                letsencrypt_email: "ops@example.org"
                """);
        file("environments/" + env + "/hosts", "[web]\n" + env + ".example.org ansible_user=root\n");
        file("environments/" + env + "/group_vars/web.yml", """
                tls_enabled: true
                client_url: "https://{{ domain_name }}"
                datapass_url: "https://datapass.example.org"
                """);
        return secrets(env, """
                secret_key: 'k3y'
                database_url: 'postgresql://app:p%40ss@db.example.org:5432/catalogue'
                datapass_client_id: 'id'
                datapass_client_secret: 'shh'
                """);
    }

    /**
     * Every file under the ops folder with its bytes, mode and kind (links not followed), to prove that
     * a command changed nothing and left no temporary file behind.
     */
    public String snapshot() {
        try (var walk = Files.walk(root)) {
            StringBuilder out = new StringBuilder();
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                out.append(root.relativize(p)).append(' ')
                        .append(java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))).append('\n');
                if (Files.isSymbolicLink(p)) {
                    out.append("-> ").append(Files.readSymbolicLink(p)).append('\n');
                } else if (Files.isRegularFile(p)) {
                    out.append(java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))).append('\n');
                }
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
