package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.fs.AtomicFile;
import fr.gouv.data.catalogue.ops.internal.keys.RandomKeys;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ops directory ({@code ops/ansible}) and its environments: list, open, create, decommission.
 */
public final class EnvironmentCatalogue {
    public static final String DEFAULT_OPS_DIR = "ops/ansible";

    /** The external resources the guide says to release when an environment goes away. */
    public static final List<String> DECOMMISSION_CHECKLIST = List.of(
            "the virtual machine(s) of the environment (its hosts in the inventory)",
            "the PostgreSQL instance and its database (see database_url in the secrets)",
            "the DNS record of the domain (domain_name)",
            "the DataPass (Comptes DataPass) client and its callback URLs for this environment",
            "the environment's mention in the operations guide, in a reviewed pull request");

    private final Path opsDir;

    private EnvironmentCatalogue(Path opsDir) {
        this.opsDir = opsDir;
    }

    /** The ops directory given explicitly; it must hold an {@code environments/} folder. */
    public static EnvironmentCatalogue at(Path opsDir) throws ConfigException {
        if (Files.exists(opsDir) && !Files.isDirectory(opsDir)) {
            throw new ConfigException("ops directory " + opsDir + " is a file, not a folder; pass --ops-dir pointing at"
                    + " your ops/ansible folder");
        }
        if (!Files.isDirectory(opsDir)) {
            throw new ConfigException("ops directory " + opsDir + " does not exist; pass --ops-dir pointing at your"
                    + " ops/ansible folder");
        }
        return new EnvironmentCatalogue(opsDir.toAbsolutePath().normalize());
    }

    /** Finds {@code ops/ansible} in {@code start} or one of its parents. */
    public static EnvironmentCatalogue locate(Path start) throws ConfigException {
        Path abs = start.toAbsolutePath().normalize();
        for (Path dir = abs; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_OPS_DIR);
            if (Files.isDirectory(candidate)) {
                return new EnvironmentCatalogue(candidate);
            }
            if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(candidate + " is not a folder; it must be the ops/ansible folder,"
                        + " or pass --ops-dir");
            }
        }
        throw new ConfigException("no " + DEFAULT_OPS_DIR + " folder in " + abs + " or its parents; run from your"
                + " repository or pass --ops-dir");
    }

    public Path opsDir() {
        return opsDir;
    }

    public Path environmentsDir() {
        return opsDir.resolve("environments");
    }

    public Path defaultVaultPasswordFile() {
        return opsDir.resolve("vault-password");
    }

    /** Environment names, sorted: folders of {@code environments/} holding an inventory. */
    public List<String> names() throws ConfigException {
        Path dir = environmentsDir();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new ConfigException(dir + " is not a folder; environments/ holds one folder per environment"
                    + " (move the file away, then: catalogue-ops env new NAME --host HOST)");
        }
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            // a folder whose inventory is broken (a directory, a dangling link) is listed, to be reported
            list.filter(Files::isDirectory)
                    .filter(p -> INVENTORY_NAMES.stream().anyMatch(n -> Files.exists(p.resolve(n), LinkOption.NOFOLLOW_LINKS)))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new ConfigException("cannot list " + dir + ": " + AtomicFile.reason(e));
        }
    }

    private static final List<String> INVENTORY_NAMES = List.of("hosts", "hosts.yml", "hosts.yaml");

    /** The inventory file of an environment folder, or why there is none usable. */
    private static Path inventoryFileOf(Path envDir) throws ConfigException {
        for (String name : INVENTORY_NAMES) {
            Path p = envDir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
            if (Files.isDirectory(p)) {
                throw new ConfigException(p + " is a directory; the inventory must be a file ([web] and the service's"
                        + " hosts): move the folder away and restore the file");
            }
            if (Files.isSymbolicLink(p)) {
                throw new ConfigException(p + " is a symbolic link that leads to no file (its target is missing, or a"
                        + " loop of links); point it at the inventory file or replace it with the file");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(p + " is not a regular file; the inventory must be a plain text file");
            }
        }
        throw new ConfigException("environment folder " + envDir + " has no inventory; create " + envDir.resolve("hosts")
                + " with a [web] section naming the service's host");
    }

    public Environment environment(String name, Environment.Options options) throws ConfigException {
        Path dir = existing(name);
        Path inventoryFile = inventoryFileOf(dir);
        String shown = new VarsFiles.Paths(options.workingDirectory().toAbsolutePath().normalize()).show(inventoryFile);
        String text;
        try {
            text = YamlFile.text(Files.readAllBytes(inventoryFile), shown);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + shown + ": " + AtomicFile.reason(e));
        }
        String file = inventoryFile.getFileName().toString();
        Inventory inventory = file.endsWith(".yml") || file.endsWith(".yaml")
                ? YamlInventory.parse(text, shown)
                : IniInventory.parse(text, shown);
        return new Environment(name, dir, opsDir, inventoryFile, inventory, options);
    }

    private Path existing(String name) throws ConfigException {
        EnvironmentName.check(name);
        Path dir = environmentsDir().resolve(name);
        if (Files.isDirectory(dir)) {
            inventoryFileOf(dir);
        } else {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConfigException(dir + " is not a folder; an environment is a folder holding its inventory"
                        + " (hosts), group_vars and secrets");
            }
            List<String> known = names();
            throw new ConfigException("unknown environment '" + name + "' in " + environmentsDir() + "; known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known))
                    + " (create one with: catalogue-ops env new " + name + " --host HOST)");
        }
        return dir;
    }

    /** What {@code env new} writes. */
    public record NewEnvironment(String name, String host, String user, String domain) {
    }

    /**
     * Creates an environment: inventory, {@code group_vars/web.yml} and an encrypted {@code secrets}
     * file with a generated {@code secret_key} and {@code config_repo_api_key}. The folder appears
     * complete or not at all.
     */
    public Path create(NewEnvironment spec, Vault vault, VaultSecret secret, RandomKeys keys) throws OpsException {
        EnvironmentName.check(spec.name());
        checkHost(spec.host());
        String user = spec.user() == null ? "root" : spec.user();
        if (!user.matches("[a-z_][a-z0-9_-]*[$]?")) {
            throw new ConfigException("invalid user '" + user + "': give a Unix user name such as root or deploy");
        }
        String domain = spec.domain() == null ? spec.host() : spec.domain();
        checkHost(domain);
        names(); // refuses an environments/ that is not a folder
        Path target = environmentsDir().resolve(spec.name());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException("environment '" + spec.name() + "' already exists in " + environmentsDir()
                    + "; choose another name or edit its files");
        }
        byte[] secrets = vault.encrypt(secretsYaml(spec.name(), keys).getBytes(StandardCharsets.UTF_8), secret);
        Path staging = null;
        try {
            Files.createDirectories(environmentsDir());
            staging = Files.createTempDirectory(environmentsDir(), "." + spec.name() + ".new-");
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(staging.resolve("hosts"), "[web]\n" + spec.host() + " ansible_user=" + user + "\n");
            Files.createDirectories(staging.resolve("group_vars"));
            Files.writeString(staging.resolve("group_vars/web.yml"), groupVarsYaml(spec.name(), domain));
            Files.createDirectories(staging.resolve("assets"));
            Files.writeString(staging.resolve("assets/initdata.yml"), INITDATA_SKELETON);
            AtomicFile.write(staging.resolve("secrets"), secrets, AtomicFile.PRIVATE);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            return target;
        } catch (IOException e) {
            throw new OpsException("cannot create environment " + spec.name() + " in " + environmentsDir() + ": "
                    + AtomicFile.reason(e) + " (nothing was created)");
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    /** A DNS name (RFC 1123 labels, not all digits) or an IPv4 or IPv6 address. */
    static void checkHost(String host) throws ConfigException {
        if (host == null || !validHost(host)) {
            throw new ConfigException("invalid host or domain '" + host + "': give a DNS name (such as"
                    + " catalogue.example.org) or an IP address (such as 203.0.113.7)");
        }
    }

    private static boolean validHost(String host) {
        if (host.contains(":")) {
            return host.matches("[0-9a-fA-F:.]+") && isIpv6(host);
        }
        if (host.matches("[0-9.]+")) {
            return host.matches("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
        }
        String[] labels = host.split("\\.", -1);
        if (host.length() > 253 || labels[labels.length - 1].matches("[0-9]+")) {
            return false;
        }
        for (String label : labels) {
            if (!label.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        try {
            // a literal with ':' is parsed, never looked up
            return java.net.InetAddress.getByName(host) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static final String INITDATA_SKELETON = "# Initial data loaded by initdata (users, organizations, ...).\n"
            + "organizations: []\ncatalogs: []\nusers: []\ntags: []\nformats: []\ndatasets: []\n";

    private static String groupVarsYaml(String name, String domain) {
        return "# Variables of environment " + name + ". Shared defaults: ../../group_vars/web.yml\n"
                + "domain_name: \"" + domain + "\"\n"
                + "tls_enabled: false\n"
                + "client_url: \"http://" + domain + "\"\n"
                + "datapass_url: \"\"\n"
                + "initdata_src: \"{{ inventory_dir }}/assets/initdata.yml\"\n";
    }

    private static String secretsYaml(String name, RandomKeys keys) {
        return "# Secrets of environment " + name + ". Edit with: catalogue-ops secrets edit " + name + "\n"
                + "secret_key: '" + keys.secretKey() + "'\n"
                + "config_repo_api_key: '" + keys.apiKey() + "'\n"
                + "# postgresql://USER:PASSWORD@HOST:5432/DB, with reserved characters of PASSWORD percent-encoded\n"
                + "database_url: ''\n"
                + "datapass_client_id: ''\n"
                + "datapass_client_secret: ''\n"
                + "# passwords: '{\"admin@example.org\": \"...\"}'\n"
                + "# sentry_dsn: ''\n";
    }

    /**
     * Removes an environment's folder. The folder is first renamed out of the way, so a failure
     * half-way never leaves a half-deleted environment behind under its name.
     */
    public void decommission(String name) throws OpsException {
        Path dir = existing(name);
        // All or nothing: what would stop the deletion half-way is found before anything moves.
        Path blocked = firstUndeletable(dir);
        if (blocked != null) {
            throw new OpsException("cannot remove " + dir + ": " + blocked + " is not writable (permission denied),"
                    + " so its files cannot be deleted; nothing was removed; make it writable (chmod u+w) and run again");
        }
        Path doomed = environmentsDir().resolve("." + name + ".decommissioned-" + System.currentTimeMillis());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new OpsException("cannot remove " + dir + ": " + AtomicFile.reason(e) + " (nothing was removed)");
        }
        IOException failure = deleteTreeOrFail(doomed);
        if (failure != null) {
            try {
                Files.move(doomed, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new OpsException("cannot remove " + dir + ": " + AtomicFile.reason(failure) + "; what is left of it"
                        + " (the secrets included) is in " + doomed + " and could not be put back: move it back by hand");
            }
            throw new OpsException("cannot remove " + dir + ": " + AtomicFile.reason(failure) + "; the files not yet"
                    + " deleted are back in " + dir + ", fix the cause and run again");
        }
    }

    /** A folder of the tree (or the environments folder) whose entries we may not delete, or null. */
    private Path firstUndeletable(Path dir) throws OpsException {
        if (!Files.isWritable(environmentsDir())) {
            return environmentsDir();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !Files.isWritable(p) || !Files.isExecutable(p))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            throw new OpsException("cannot remove " + dir + ": " + AtomicFile.reason(e) + " (nothing was removed)");
        } catch (java.io.UncheckedIOException e) {
            throw new OpsException("cannot remove " + dir + ": " + AtomicFile.reason(e.getCause())
                    + " (nothing was removed); make its folders readable and run again");
        }
    }

    /** Deletes deepest first, so the top-level secrets file goes last; the first failure, or null. */
    private static IOException deleteTreeOrFail(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
            return null;
        } catch (IOException e) {
            return e;
        } catch (java.io.UncheckedIOException e) {
            return e.getCause();
        }
    }

    private static void deleteTree(Path root) {
        deleteTreeOrFail(root);
    }
}
