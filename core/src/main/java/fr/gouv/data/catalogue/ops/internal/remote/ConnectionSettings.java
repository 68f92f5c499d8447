package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.environment.TemplateFilters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to reach one host, from Ansible's connection variables: {@code ansible_host},
 * {@code ansible_port}, {@code ansible_user}, {@code ansible_ssh_private_key_file},
 * {@code ansible_become}, {@code ansible_become_user}, {@code ansible_become_password}.
 *
 * @param inlineKeys private keys held in memory (OpenSSH or PEM text, e.g. from a Jenkins credential)
 * @param agentSocket the SSH agent's socket, whose keys are tried after the others (null: no agent)
 * @param knownHosts files checked for the host key, in order (the environment's first)
 */
public record ConnectionSettings(String host, String address, int port, String user, List<Path> keyFiles,
                                 List<String> inlineKeys, char[] keyPassphrase, Path agentSocket, boolean become, String becomeUser, char[] becomePassword,
                                 List<Path> knownHosts, Duration connectTimeout, Duration keepAlive) {

    public static ConnectionSettings of(String host, String user, List<Path> keyFiles, List<Path> knownHosts) {
        return new ConnectionSettings(host, host, 22, user, keyFiles, List.of(), null, agentFromEnvironment(), false, "root", null, knownHosts,
                Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    public ConnectionSettings withAddress(String newAddress, int newPort) {
        return new ConnectionSettings(host, newAddress, newPort, user, keyFiles, inlineKeys, keyPassphrase, agentSocket, become, becomeUser,
                becomePassword, knownHosts, connectTimeout, keepAlive);
    }

    public ConnectionSettings withBecome(String asUser, char[] password) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, keyPassphrase, agentSocket, true, asUser, password,
                knownHosts, connectTimeout, keepAlive);
    }

    public ConnectionSettings withKeyPassphrase(char[] passphrase) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, passphrase, agentSocket, become, becomeUser,
                becomePassword, knownHosts, connectTimeout, keepAlive);
    }

    public ConnectionSettings withConnectTimeout(Duration timeout) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, keyPassphrase, agentSocket, become, becomeUser,
                becomePassword, knownHosts, timeout, keepAlive);
    }

    /** Adds a private key held in memory (its text); it is tried before the key files. */
    public ConnectionSettings withInlineKey(String privateKeyText) {
        List<String> all = new ArrayList<>(inlineKeys);
        all.add(privateKeyText);
        return new ConnectionSettings(host, address, port, user, keyFiles, List.copyOf(all), keyPassphrase, agentSocket,
                become, becomeUser, becomePassword, knownHosts, connectTimeout, keepAlive);
    }

    /** Only these key files (none: the inline keys and the agent only). */
    public ConnectionSettings withKeyFiles(List<Path> files) {
        return new ConnectionSettings(host, address, port, user, List.copyOf(files), inlineKeys, keyPassphrase,
                agentSocket, become, becomeUser, becomePassword, knownHosts, connectTimeout, keepAlive);
    }

    /** The SSH agent to use (null: none). */
    public ConnectionSettings withAgent(Path socket) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, keyPassphrase, socket,
                become, becomeUser, becomePassword, knownHosts, connectTimeout, keepAlive);
    }

    /** $SSH_AUTH_SOCK when it names a socket, else null. */
    static Path agentFromEnvironment() {
        String sock = System.getenv("SSH_AUTH_SOCK");
        return sock == null || sock.isBlank() || !Files.exists(Path.of(sock)) ? null : Path.of(sock);
    }

    /** Reads the connection variables of a host (the environment's known_hosts comes first). */
    public static ConnectionSettings from(HostVariables vars, Path environmentKnownHosts) throws OpsException {
        return from(vars, environmentKnownHosts, true);
    }

    /**
     * As {@link #from(HostVariables, Path)}; with {@code inventoryKeys} false the inventory's key
     * file is not read at all (the caller brings its own key, e.g. from Jenkins' credentials).
     */
    public static ConnectionSettings from(HostVariables vars, Path environmentKnownHosts, boolean inventoryKeys)
            throws OpsException {
        String host = vars.host();
        String address = string(vars, "ansible_host", host);
        int port = port(vars);
        String user = string(vars, "ansible_user", System.getProperty("user.name"));
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> keys = new ArrayList<>();
        String keyFile = inventoryKeys ? string(vars, "ansible_ssh_private_key_file", null) : null;
        if (keyFile != null) {
            Path p = keyFile.startsWith("~/") ? home.resolve(keyFile.substring(2)) : Path.of(keyFile);
            if (!Files.isReadable(p)) {
                throw new ConfigException(host + ": ansible_ssh_private_key_file " + p + " cannot be read; fix the path");
            }
            keys.add(p);
        } else {
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = home.resolve(".ssh").resolve(name);
                if (Files.isReadable(p)) {
                    keys.add(p);
                }
            }
        }
        boolean become = bool(vars, "ansible_become");
        String becomeUser = string(vars, "ansible_become_user", "root");
        String becomePassword = string(vars, "ansible_become_password", null);
        List<Path> knownHosts = new ArrayList<>();
        knownHosts.add(environmentKnownHosts);
        knownHosts.add(home.resolve(".ssh/known_hosts"));
        return new ConnectionSettings(host, address, port, user, keys, List.of(), null, agentFromEnvironment(), become, becomeUser,
                becomePassword == null ? null : becomePassword.toCharArray(), knownHosts, Duration.ofSeconds(10),
                Duration.ofSeconds(5));
    }

    private static String string(HostVariables vars, String name, String fallback) throws OpsException {
        if (!vars.isDefined(name)) {
            return fallback;
        }
        Object v = vars.get(name);
        return v == null ? fallback : String.valueOf(v);
    }

    private static int port(HostVariables vars) throws OpsException {
        String text = string(vars, "ansible_port", "22").strip();
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new ConfigException(vars.host() + ": ansible_port must be a port number, found '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static boolean bool(HostVariables vars, String name) throws OpsException {
        return TemplateFilters.truth(string(vars, name, "false"));
    }

    /** The user commands run as: the become user when escalating, else the login user. */
    public String effectiveUser() {
        return become ? becomeUser : user;
    }

    @Override
    public String toString() {
        return user + "@" + host + (address.equals(host) ? "" : " (" + address + ")") + (port == 22 ? "" : ":" + port);
    }
}
