package fr.gouv.data.catalogue.ops.internal.remote;

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
        return withEscalation(true, asUser, password);
    }

    /** Whether commands escalate ({@code become}), to whom, and the sudo password (kept even without become, as Ansible does). */
    public ConnectionSettings withEscalation(boolean escalate, String asUser, char[] password) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, keyPassphrase, agentSocket, escalate, asUser,
                password, knownHosts, connectTimeout, keepAlive);
    }

    public ConnectionSettings withKeyPassphrase(char[] passphrase) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, passphrase, agentSocket, become, becomeUser,
                becomePassword, knownHosts, connectTimeout, keepAlive);
    }

    public ConnectionSettings withConnectTimeout(Duration timeout) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, keyPassphrase, agentSocket, become, becomeUser,
                becomePassword, knownHosts, timeout, keepAlive);
    }

    /** How often an idle connection is probed; the host counts as lost after {@code SshRemote}'s misses in a row. */
    public ConnectionSettings withKeepAlive(Duration interval) {
        return new ConnectionSettings(host, address, port, user, keyFiles, inlineKeys, keyPassphrase, agentSocket, become, becomeUser,
                becomePassword, knownHosts, connectTimeout, interval);
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

    /** The user commands run as: the become user when escalating, else the login user. */
    public String effectiveUser() {
        return become ? becomeUser : user;
    }

    @Override
    public String toString() {
        return user + "@" + host + (address.equals(host) ? "" : " (" + address + ")") + (port == 22 ? "" : ":" + port);
    }
}
