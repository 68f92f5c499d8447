package fr.gouv.data.catalogue.ops.internal.access;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.environment.TemplateFilters;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How an environment's hosts are reached, decided in one place: Ansible's connection variables
 * ({@code ansible_host}, {@code ansible_port}, {@code ansible_user},
 * {@code ansible_ssh_private_key_file}, {@code ansible_become}, {@code ansible_become_user},
 * {@code ansible_become_password}, and OpenSSH's {@code ServerAliveInterval} in {@code ansible_ssh_common_args} or
 * {@code ansible_ssh_extra_args}), the environment's {@code known_hosts} before the user's, and
 * the key: the inventory's key file (or the user's default keys), or a key held in memory (a
 * Jenkins credential, a caller of the Java API), in which case no key file is read at all.
 */
public final class HostAccess {
    /** The file, next to the inventory, where an environment's host keys are pinned. */
    public static final String KNOWN_HOSTS = "known_hosts";

    /** The inventory's settings and key files. */
    public static final HostAccess INVENTORY = new HostAccess(null, null);

    private final String inlineKey;
    private final char[] passphrase;

    private HostAccess(String inlineKey, char[] passphrase) {
        this.inlineKey = inlineKey;
        this.passphrase = passphrase;
    }

    /** With this private key (OpenSSH or PEM text) instead of any key file; {@code passphrase} may be null. */
    public static HostAccess withKey(String privateKeyText, char[] passphrase) {
        return new HostAccess(privateKeyText, passphrase == null ? null : passphrase.clone());
    }

    /** The environment's known_hosts file (the first one checked). */
    public static Path knownHosts(Environment env) {
        return env.dir().resolve(KNOWN_HOSTS);
    }

    /** How to reach {@code vars.host()}, an {@code env} host. */
    public ConnectionSettings settings(Environment env, HostVariables vars) throws OpsException {
        ConnectionSettings s = fromVariables(vars, knownHosts(env), inlineKey == null);
        if (inlineKey == null) {
            return s;
        }
        ConnectionSettings withKey = s.withKeyFiles(List.of()).withInlineKey(inlineKey);
        return passphrase == null ? withKey : withKey.withKeyPassphrase(passphrase.clone());
    }

    /** Every web host's settings, read without decrypting the secrets (enough to connect, not to escalate with a vaulted password). */
    public List<ConnectionSettings> webHosts(Environment env) throws OpsException {
        List<ConnectionSettings> all = new ArrayList<>();
        for (String host : env.webHosts()) {
            all.add(settings(env, env.variablesWithoutSecrets(host)));
        }
        return all;
    }

    /**
     * Reads the connection variables of a host; with {@code inventoryKeys} false the inventory's key
     * file is not read at all (the caller brings its own key).
     */
    static ConnectionSettings fromVariables(HostVariables vars, Path environmentKnownHosts, boolean inventoryKeys)
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
        } else if (inventoryKeys) {
            for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = home.resolve(".ssh").resolve(name);
                if (Files.isReadable(p)) {
                    keys.add(p);
                }
            }
        }
        boolean become = TemplateFilters.truth(string(vars, "ansible_become", "false"));
        String becomeUser = string(vars, "ansible_become_user", "root");
        String becomePassword = string(vars, "ansible_become_password", null);
        List<Path> knownHosts = List.of(environmentKnownHosts, home.resolve(".ssh/known_hosts"));
        ConnectionSettings s = ConnectionSettings.of(host, user, keys, knownHosts).withAddress(address, port)
                .withConnectTimeout(Duration.ofSeconds(10));
        Integer alive = serverAliveInterval(host, string(vars, "ansible_ssh_extra_args", ""));
        alive = alive != null ? alive : serverAliveInterval(host, string(vars, "ansible_ssh_common_args", ""));
        if (alive != null) {
            s = s.withKeepAlive(Duration.ofSeconds(alive));
        }
        return s.withEscalation(become, becomeUser, becomePassword == null ? null : becomePassword.toCharArray());
    }

    private static final java.util.regex.Pattern SERVER_ALIVE = java.util.regex.Pattern.compile(
            "(?i)-o\\s*['\"]?ServerAliveInterval\\s*=?\\s*([^\\s'\"]+)");

    /**
     * OpenSSH's {@code -o ServerAliveInterval=N} in an Ansible ssh arguments variable, as the
     * keep-alive interval (seconds, 1 to 3600), or null when not set: a host that misses the
     * keep-alives counts as lost, so a cut network fails a run in a bounded time.
     */
    static Integer serverAliveInterval(String host, String args) throws ConfigException {
        java.util.regex.Matcher m = SERVER_ALIVE.matcher(args);
        if (!m.find()) {
            return null;
        }
        String n = m.group(1);
        if (!n.matches("[0-9]{1,4}") || Integer.parseInt(n) < 1 || Integer.parseInt(n) > 3600) {
            throw new ConfigException(host + ": ServerAliveInterval in the ssh arguments must be 1 to 3600 seconds, found '" + n
                    + "'");
        }
        return Integer.parseInt(n);
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
}
