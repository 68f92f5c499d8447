package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One environment ({@code environments/<name>/}): its inventory and, per host, its variables merged
 * with the precedence the original playbook relies on (lowest first): role defaults,
 * {@code ops/ansible/group_vars}, inventory group vars, the environment's {@code group_vars},
 * inventory host vars, {@code host_vars}, the {@code secrets} file, then {@code -e} extra vars.
 */
public final class Environment {
    /** The inventory group the service's hosts are in. */
    public static final String WEB_GROUP = "web";

    /** How to read variables: extra vars, how to open the vault, host facts. */
    public record Options(ExtraVars extraVars, HostVariables.VaultAccess vault, HostFacts facts, Path workingDirectory) {
        public static Options of(HostVariables.VaultAccess vault) {
            return new Options(ExtraVars.none(), vault, HostFacts.NONE, Path.of("").toAbsolutePath());
        }

        public Options withExtraVars(ExtraVars extraVars) {
            return new Options(extraVars, vault, facts, workingDirectory);
        }

        public Options withFacts(HostFacts facts) {
            return new Options(extraVars, vault, facts, workingDirectory);
        }
    }

    private final String name;
    private final Path dir;
    private final Path opsDir;
    private final Path inventoryFile;
    private final Inventory inventory;
    private final Options options;
    private final VarsFiles files;
    private volatile Map<String, Variable> secrets;
    private volatile OpsException secretsFailure;

    Environment(String name, Path dir, Path opsDir, Path inventoryFile, Inventory inventory, Options options) {
        this.name = name;
        this.dir = dir;
        this.opsDir = opsDir;
        this.inventoryFile = inventoryFile;
        this.inventory = inventory;
        this.options = options;
        this.files = new VarsFiles(new VarsFiles.Paths(options.workingDirectory().toAbsolutePath().normalize()),
                options.vault());
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Path inventoryFile() {
        return inventoryFile;
    }

    public Path secretsFile() {
        return dir.resolve("secrets");
    }

    public Inventory inventory() {
        return inventory;
    }

    public Options options() {
        return options;
    }

    /** The hosts the service runs on: group {@code web}, or every host when there is no such group. */
    public List<String> webHosts() {
        return inventory.group(WEB_GROUP).isPresent() ? inventory.hostsOf(WEB_GROUP) : inventory.hostsOf(Inventory.ALL);
    }

    /**
     * Starts decrypting the secrets on a daemon thread, for a command that will need them: the key
     * derivation (PBKDF2, 10000 rounds) then overlaps reading the variable files. A failure is kept
     * and given to the first caller of {@link #secrets()}, never retried (no second password prompt).
     */
    public void prefetchSecrets() {
        Thread t = new Thread(() -> {
            try {
                secrets();
            } catch (OpsException | RuntimeException kept) {
                // secrets() keeps it for its next caller
            }
        }, "catalogue-ops-secrets");
        t.setDaemon(true);
        t.start();
    }

    /** Whether the secrets have been read (or failed to be): {@link #secrets()} then answers at once. */
    public boolean secretsRead() {
        return secrets != null || secretsFailure != null;
    }

    /** The decrypted {@code secrets} file (extra vars of the original); needs the vault password. */
    public synchronized Map<String, Variable> secrets() throws OpsException {
        if (secretsFailure != null) {
            throw secretsFailure;
        }
        try {
            return loadSecrets();
        } catch (OpsException e) {
            secretsFailure = e;
            throw e;
        }
    }

    /** The secrets file, refused with the fix when it is missing or not a file. */
    public Path existingSecretsFile() throws ConfigException {
        Path file = secretsFile();
        if (Files.isDirectory(file)) {
            throw new ConfigException(files.paths().show(file) + " is a directory; the secrets must be one"
                    + " vault-encrypted YAML file: move the folder away and restore the file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(files.paths().show(file) + " does not exist; every environment needs"
                    + " an encrypted secrets file (catalogue-ops env new creates one)");
        }
        return file;
    }

    /**
     * False when the secrets file is plain text: it is still read (as Ansible reads any vars file),
     * but it should not be committed so.
     */
    public boolean secretsEncrypted() throws OpsException {
        return Vault.isEncrypted(fr.gouv.data.catalogue.ops.internal.vault.VaultFiles.read(existingSecretsFile()));
    }

    /** What reading the variables met that deserves a warning (duplicate keys), once each. */
    public List<String> warnings() {
        return files.warnings();
    }

    private Map<String, Variable> loadSecrets() throws OpsException {
        if (secrets == null) {
            Path file = existingSecretsFile();
            Map<String, Variable> loaded = new LinkedHashMap<>();
            files.loadFile(file).forEach((k, v) -> loaded.put(k, new Variable(k, v.value(), v.origin(), true)));
            secrets = loaded;
        }
        return secrets;
    }

    /** Every variable of {@code host}, secrets included. */
    public HostVariables variables(String host) throws OpsException {
        return variables(host, true);
    }

    /** The variables of {@code host} without opening the secrets (no vault password needed). */
    public HostVariables variablesWithoutSecrets(String host) throws OpsException {
        return variables(host, false);
    }

    /** Every variable of {@code host}, secrets included, with facts gathered from the host ({@code ansible_env}). */
    public HostVariables variables(String host, HostFacts facts) throws OpsException {
        return variables(host, true, facts);
    }

    private HostVariables variables(String host, boolean withSecrets) throws OpsException {
        return variables(host, withSecrets, options.facts());
    }

    private HostVariables variables(String host, boolean withSecrets, HostFacts facts) throws OpsException {
        InventoryHost h = inventory.host(host).orElseThrow(() -> new ConfigException("host '" + host
                + "' is not in the inventory of " + name + " (" + files.paths().show(inventoryFile) + "); hosts: "
                + String.join(", ", inventory.hostsOf(Inventory.ALL))));
        List<InventoryGroup> groups = inventory.groupsOf(host);
        Map<String, Variable> merged = new LinkedHashMap<>(RoleDefaults.variables());
        for (InventoryGroup g : groups) {
            merged.putAll(files.load(opsDir.resolve("group_vars"), g.name()));
        }
        for (InventoryGroup g : groups) {
            merged.putAll(g.vars());
        }
        for (InventoryGroup g : groups) {
            merged.putAll(files.load(dir.resolve("group_vars"), g.name()));
        }
        merged.putAll(h.vars());
        merged.putAll(files.load(opsDir.resolve("host_vars"), host));
        merged.putAll(files.load(dir.resolve("host_vars"), host));
        if (withSecrets) {
            merged.putAll(secrets());
        }
        merged.putAll(options.extraVars().load(files, options.workingDirectory()));
        // A secret's name keeps its value masked wherever it is set (-e, group_vars...), not only in the secrets file.
        java.util.Set<String> secretNames = new java.util.HashSet<>(EnvironmentCheck.SECRET_KEYS);
        if (withSecrets) {
            secretNames.addAll(secrets().keySet());
        }
        merged.replaceAll((k, v) -> !v.secret() && secretNames.contains(k) ? new Variable(k, v.value(), v.origin(), true) : v);
        return new HostVariables(host, merged, magic(host, groups), facts, options.vault());
    }

    private Map<String, Object> magic(String host, List<InventoryGroup> groups) {
        Map<String, Object> magic = new LinkedHashMap<>();
        magic.put("inventory_hostname", host);
        magic.put("inventory_hostname_short", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        magic.put("inventory_dir", dir.toAbsolutePath().normalize().toString());
        magic.put("inventory_file", inventoryFile.toAbsolutePath().normalize().toString());
        magic.put("playbook_dir", opsDir.toAbsolutePath().normalize().toString());
        List<String> groupNames = new ArrayList<>();
        for (InventoryGroup g : groups) {
            if (!g.name().equals(Inventory.ALL) && !g.name().equals(Inventory.UNGROUPED)) {
                groupNames.add(g.name());
            }
        }
        groupNames.sort(null);
        magic.put("group_names", groupNames);
        Map<String, Object> allGroups = new TreeMap<>();
        for (String g : inventory.groupNames()) {
            allGroups.put(g, inventory.hostsOf(g));
        }
        magic.put("groups", allGroups);
        magic.put("environment_name", name);
        return magic;
    }

    /** Shows a path as messages do (relative to the working directory when below it). */
    public String show(Path path) {
        return files.paths().show(path);
    }
}
