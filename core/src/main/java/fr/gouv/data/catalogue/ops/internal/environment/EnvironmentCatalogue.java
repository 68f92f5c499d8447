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
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            list.filter(Files::isDirectory)
                    .filter(p -> inventoryFileOf(p) != null)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new ConfigException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static Path inventoryFileOf(Path envDir) {
        for (String name : List.of("hosts", "hosts.yml", "hosts.yaml")) {
            Path p = envDir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public Environment environment(String name, Environment.Options options) throws ConfigException {
        Path dir = existing(name);
        Path inventoryFile = inventoryFileOf(dir);
        String shown = new VarsFiles.Paths(options.workingDirectory().toAbsolutePath().normalize()).show(inventoryFile);
        String text;
        try {
            text = Files.readString(inventoryFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + shown + ": " + e.getMessage());
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
        if (!Files.isDirectory(dir) || inventoryFileOf(dir) == null) {
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
        Path target = environmentsDir().resolve(spec.name());
        if (Files.exists(target)) {
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
                    + e.getMessage() + " (nothing was created)");
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    private static void checkHost(String host) throws ConfigException {
        if (host == null || !host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9a-fA-F:]+")) {
            throw new ConfigException("invalid host or domain '" + host + "': give a DNS name or an IP address");
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
        Path doomed = environmentsDir().resolve("." + name + ".decommissioned-" + System.currentTimeMillis());
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new OpsException("cannot remove " + dir + ": " + e.getMessage() + " (nothing was removed)");
        }
        if (!deleteTree(doomed)) {
            throw new OpsException("environment " + name + " is gone from the catalogue, but " + doomed
                    + " could not be fully deleted; remove it by hand");
        }
    }

    private static boolean deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
