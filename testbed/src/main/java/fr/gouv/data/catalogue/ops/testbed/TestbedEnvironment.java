package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentName;
import fr.gouv.data.catalogue.ops.internal.fs.AtomicFile;
import fr.gouv.data.catalogue.ops.internal.keys.RandomKeys;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The environment folder {@code testbed up} writes for its hosts: a plain Ansible inventory
 * ({@code ansible -i} works with it as it is: key file, user and pinned known_hosts included),
 * group_vars and an encrypted secrets file. Creates the ops folder and its vault password file
 * when they do not exist yet.
 */
public final class TestbedEnvironment {
    static final String MARKER = "# Written by catalogue-ops testbed up";

    private TestbedEnvironment() {
    }

    /** Whether the ops folder needs a vault password file made for it. */
    public static Path ensureVaultPassword(Path opsDir) throws OpsException {
        Path file = opsDir.resolve("vault-password");
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(opsDir);
                AtomicFile.write(file, (new RandomKeys().apiKey() + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFile.PRIVATE);
            } catch (IOException e) {
                throw new OpsException("cannot create " + file + ": " + e.getMessage());
            }
        }
        return file;
    }

    public static Path write(Path opsDir, TestHosts hosts, Vault vault, VaultSecret secret) throws OpsException {
        String name = EnvironmentName.check(hosts.name());
        Path target = opsDir.resolve("environments").resolve(name);
        if (Files.exists(target)) {
            throw new ConfigException("environment " + name + " already exists in " + opsDir.resolve("environments"));
        }
        RandomKeys keys = new RandomKeys();
        byte[] secrets = vault.encrypt(("# Secrets of test environment " + name + "\n"
                + "secret_key: '" + keys.secretKey() + "'\n"
                + "config_repo_api_key: '" + keys.apiKey() + "'\n"
                + "database_url: 'postgresql://catalogue:catalogue@localhost:5432/catalogue'\n"
                + "datapass_client_id: 'testbed'\n"
                + "datapass_client_secret: 'testbed'\n").getBytes(StandardCharsets.UTF_8), secret);
        Path staging = null;
        try {
            Files.createDirectories(opsDir.resolve("environments"));
            if (!Files.exists(opsDir.resolve("group_vars/web.yml"))) {
                Files.createDirectories(opsDir.resolve("group_vars"));
                Files.writeString(opsDir.resolve("group_vars/web.yml"), SHARED_DEFAULTS);
            }
            staging = Files.createTempDirectory(opsDir.resolve("environments"), "." + name + ".new-");
            Path knownHosts = target.toAbsolutePath().resolve("known_hosts");
            StringBuilder inventory = new StringBuilder(MARKER + "; remove with: catalogue-ops testbed down " + name + "\n[web]\n");
            for (TestHost h : hosts.hosts()) {
                inventory.append(h.name()).append(" ansible_host=").append(h.address()).append(" ansible_user=root\n");
            }
            inventory.append("\n[all:vars]\n")
                    .append("ansible_ssh_private_key_file=").append(hosts.privateKey()).append('\n')
                    .append("ansible_ssh_common_args='-o UserKnownHostsFile=").append(knownHosts)
                    .append(" -o StrictHostKeyChecking=yes'\n")
                    .append("ansible_python_interpreter=/usr/bin/python3\n");
            Files.writeString(staging.resolve("hosts"), inventory.toString());
            Files.writeString(staging.resolve("known_hosts"), TestHosts.knownHostsLines(hosts.hosts()));
            Files.createDirectories(staging.resolve("group_vars"));
            Files.writeString(staging.resolve("group_vars/web.yml"), """
                    # Test environment on testbed hosts.
                    tls_enabled: false
                    # Test hosts reach Debian's packages only: Debian's runtimes, not pyenv/nvm downloads.
                    python_runtime: system
                    node_runtime: system
                    client_url: "http://{{ domain_name }}"
                    datapass_url: "http://datapass.invalid"
                    """);
            AtomicFile.write(staging.resolve("secrets"), secrets, AtomicFile.PRIVATE);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            return target;
        } catch (IOException e) {
            throw new OpsException("cannot write environment " + name + ": " + e.getMessage());
        } finally {
            if (staging != null) {
                LocalCommand.runQuietly(java.util.List.of("rm", "-rf", staging.toString()));
            }
        }
    }

    /** Removes the environment folder, only if {@code testbed up} wrote it. */
    public static boolean remove(Path opsDir, String name) {
        Path dir = opsDir.resolve("environments").resolve(name);
        try {
            if (Files.isRegularFile(dir.resolve("hosts")) && Files.readString(dir.resolve("hosts")).startsWith(MARKER)) {
                LocalCommand.runQuietly(java.util.List.of("rm", "-rf", dir.toString()));
                return true;
            }
        } catch (IOException ignored) {
            // not ours to remove
        }
        return false;
    }

    static final String SHARED_DEFAULTS = """
            # Shared by every environment (written by catalogue-ops testbed up for a new ops folder).
            workdir: "{{ ansible_env.HOME }}/catalogage"
            pyenv_python_version: "3.8.9"
            nvm_node_version: "v16.15.1"
            git_repo: "/srv/git/catalogue-app.git"
            api_port: 3579
            client_port: 3000
            domain_name: "{{ inventory_hostname }}"
            letsencrypt_email: "ops@catalogue.test"
            """;
}
