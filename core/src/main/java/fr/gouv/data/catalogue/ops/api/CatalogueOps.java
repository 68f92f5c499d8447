package fr.gouv.data.catalogue.ops.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.access.HostAccess;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCheck;
import fr.gouv.data.catalogue.ops.internal.environment.ExtraVars;
import fr.gouv.data.catalogue.ops.internal.environment.HostFacts;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.environment.Variable;
import fr.gouv.data.catalogue.ops.internal.keys.RandomKeys;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The front door of catalogue-ops for Java code: the command line and the Jenkins steps go
 * through it too. Open it on an ops folder ({@code ops/ansible}), say how to open the vault and
 * reach the hosts, then ask for operations:
 *
 * <pre>{@code
 * try (CatalogueOps ops = CatalogueOps.open(Path.of("ops/ansible"))
 *         .vaultPasswordFile(Path.of("ops/ansible/vault-password"))) {
 *     PlayRecap recap = ops.provision("prod").check(true).limit("web-1").call();
 * }
 * }</pre>
 *
 * <p>Each operation is a command object: required arguments in the method that makes it,
 * optional ones as setters, and {@code call()}, which checks everything (unknown environment,
 * host, tag: a {@link ConfigException}) before any host is contacted, then runs. Nothing is read
 * before it is needed: the ops folder when an operation first names an environment, the vault
 * password when a value first needs a secret.
 *
 * <p>Not thread-safe: one instance per run (a build, a command). {@link #close()} forgets the
 * passwords and keys it was given.
 */
public final class CatalogueOps implements AutoCloseable {
    /** What an environment holds outside its folder, to release by hand when it is decommissioned. */
    public static final List<String> DECOMMISSION_CHECKLIST = EnvironmentCatalogue.DECOMMISSION_CHECKLIST;

    private final Path opsDir;
    private final Path searchFrom;
    private final List<VaultSource> vaultSources = new ArrayList<>();
    private final List<String> extraVars = new ArrayList<>();
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private Map<String, String> environmentVariables = System.getenv();
    private PasswordPrompt prompt = question -> null;
    private String sshKey;
    private char[] sshKeyPassphrase;
    private EnvironmentCatalogue catalogue;
    /** Environments read so far: a run reads each once (and its warnings are those of that reading). */
    private final Map<String, Environment> loaded = new HashMap<>();
    private Vault vault;

    private interface VaultSource {
        VaultSecret open(CatalogueOps ops) throws OpsException;
    }

    private CatalogueOps(Path opsDir, Path searchFrom) {
        this.opsDir = opsDir;
        this.searchFrom = searchFrom;
        HostVariables.warmUpInBackground();
    }

    /**
     * Opens the ops folder {@code opsDir} (the folder holding {@code environments/}).
     *
     * @param opsDir the ops folder, e.g. {@code ops/ansible}
     * @return a facade on it
     */
    public static CatalogueOps open(Path opsDir) {
        return new CatalogueOps(opsDir.toAbsolutePath().normalize(), null);
    }

    /**
     * Opens the {@code ops/ansible} folder found in {@code start} or one of its parents, as the
     * command line does when no folder is given.
     *
     * @param start where the search starts
     * @return a facade on the folder found (the search happens when an environment is first needed)
     */
    public static CatalogueOps locate(Path start) {
        return new CatalogueOps(null, start.toAbsolutePath().normalize());
    }

    /**
     * Adds a vault password file; an executable file is run and its output is the password, as
     * Ansible does. Without any vault source, {@code <ops folder>/vault-password} is used.
     *
     * @param file the password file
     * @return this
     */
    public CatalogueOps vaultPasswordFile(Path file) {
        Path resolved = workingDirectory.resolve(file).normalize();
        vaultSources.add(ops -> VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, resolved));
        return this;
    }

    /**
     * Adds a vault password held in memory (a copy is kept until {@link #close()}).
     *
     * @param password the password
     * @return this
     */
    public CatalogueOps vaultPassword(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] exact = new byte[encoded.remaining()];
        encoded.get(exact);
        Arrays.fill(encoded.array(), (byte) 0);
        vaultSources.add(ops -> new VaultSecret(VaultSecret.DEFAULT_LABEL, exact, "the password given to the Java API"));
        return this;
    }

    /**
     * Adds vault ids as {@code ansible-vault} takes them: {@code LABEL@FILE}, {@code LABEL@prompt}
     * (asked through {@link #passwordPrompt}), or {@code FILE}.
     *
     * @param ids the vault ids
     * @return this
     */
    public CatalogueOps vaultIds(String... ids) {
        for (String id : ids) {
            vaultSources.add(ops -> VaultPasswords.fromVaultId(id, ops.workingDirectory, ops.prompt::ask));
        }
        return this;
    }

    /**
     * Adds a vault password asked through {@link #passwordPrompt} when first needed.
     *
     * @return this
     */
    public CatalogueOps askVaultPassword() {
        vaultSources.add(ops -> VaultPasswords.fromPrompt(VaultSecret.DEFAULT_LABEL, ops.prompt::ask));
        return this;
    }

    /**
     * How to ask for a password ({@code LABEL@prompt} vault ids, {@link #askVaultPassword()}).
     *
     * @param prompt the prompt (default: none, every question answered with null)
     * @return this
     */
    public CatalogueOps passwordPrompt(PasswordPrompt prompt) {
        this.prompt = prompt;
        return this;
    }

    /**
     * Reaches every host with this private key instead of the inventory's key files (which are then
     * not read at all). The key is kept in memory only.
     *
     * @param privateKey the key's text (OpenSSH or PEM)
     * @param passphrase its passphrase, or null
     * @return this
     */
    public CatalogueOps sshKey(String privateKey, char[] passphrase) {
        this.sshKey = privateKey;
        this.sshKeyPassphrase = passphrase == null ? null : passphrase.clone();
        return this;
    }

    /**
     * Adds extra variables, of the highest precedence (Ansible's {@code -e}).
     *
     * @param vars names and values (strings, numbers, booleans, lists, maps)
     * @return this
     * @throws ConfigException when a value cannot be written as YAML
     */
    public CatalogueOps extraVars(Map<String, ?> vars) throws ConfigException {
        loaded.clear();
        try {
            extraVars.add(new ObjectMapper().writeValueAsString(vars));
        } catch (JsonProcessingException e) {
            throw new ConfigException("extra variables: " + e.getOriginalMessage());
        }
        return this;
    }

    /**
     * Adds extra variables as the command line's {@code -e} takes them: {@code key=value ...},
     * {@code @file} (YAML or JSON) or a YAML/JSON mapping.
     *
     * @param arguments the arguments, in order
     * @return this
     */
    public CatalogueOps extraVarArguments(List<String> arguments) {
        loaded.clear();
        extraVars.addAll(arguments);
        return this;
    }

    /**
     * The folder relative paths (password files, {@code @file} extra variables) are read from.
     *
     * @param dir the folder (default: the process's working directory)
     * @return this
     */
    public CatalogueOps workingDirectory(Path dir) {
        loaded.clear();
        this.workingDirectory = dir.toAbsolutePath().normalize();
        return this;
    }

    /**
     * The environment variables operations read ({@code CATALOGUE_GIT_TOKEN} for staging pushes,
     * {@code SSH_AUTH_SOCK}).
     *
     * @param variables the variables (default: the process's)
     * @return this
     */
    public CatalogueOps environmentVariables(Map<String, String> variables) {
        this.environmentVariables = Map.copyOf(variables);
        return this;
    }

    /**
     * The ops folder.
     *
     * @return its absolute path
     * @throws ConfigException when it cannot be found
     */
    public Path opsDir() throws ConfigException {
        return catalogue().opsDir();
    }

    /**
     * The environments of the ops folder, sorted.
     *
     * @return their names
     * @throws ConfigException when the ops folder cannot be read
     */
    public List<String> environments() throws ConfigException {
        return catalogue().names();
    }

    /**
     * An environment's web hosts (group {@code web}, or every host when there is no such group),
     * read without the vault.
     *
     * @param name the environment
     * @return the hosts, in the inventory's order
     * @throws OpsException unknown environment, malformed inventory
     */
    public List<String> hosts(String name) throws OpsException {
        return load(name).webHosts();
    }

    /**
     * An environment's hosts and resolved variables, secrets masked.
     *
     * @param name the environment
     * @return what it holds
     * @throws OpsException unknown environment, malformed files, wrong vault password
     */
    public EnvironmentView environment(String name) throws OpsException {
        return EnvironmentView.of(load(name), false, List.of());
    }

    /**
     * As {@link #environment(String)}, with the secrets' values shown when {@code reveal}, and the
     * variables of {@code hosts} only (any host of the inventory; none: the web hosts).
     *
     * @param name the environment
     * @param reveal show secret values
     * @param hosts the hosts whose variables to resolve
     * @return what it holds
     * @throws OpsException unknown environment or host, malformed files, wrong vault password
     */
    public EnvironmentView environment(String name, boolean reveal, String... hosts) throws OpsException {
        return EnvironmentView.of(load(name), reveal, List.of(hosts));
    }

    /**
     * Checks that an environment has what a deploy needs.
     *
     * @param name the environment
     * @return one line per problem (empty: none)
     * @throws OpsException unknown environment, or files that cannot be read at all
     */
    public List<String> check(String name) throws OpsException {
        return check(name, false);
    }

    /**
     * As {@link #check(String)}; with {@code reveal}, details derived from secrets are included
     * (the percent-encoded database URL).
     *
     * @param name the environment
     * @param reveal include secret-derived details
     * @return one line per problem (empty: none)
     * @throws OpsException unknown environment, or files that cannot be read at all
     */
    public List<String> check(String name, boolean reveal) throws OpsException {
        return EnvironmentCheck.run(load(name), reveal).stream().map(String::valueOf).toList();
    }

    /**
     * What is not wrong but worth saying about an environment (a secrets file not encrypted,
     * duplicate keys in a variables file, ...).
     *
     * @param name the environment
     * @return one line per warning (empty: none)
     * @throws OpsException unknown environment, or files that cannot be read at all
     */
    public List<String> warnings(String name) throws OpsException {
        return EnvironmentCheck.warnings(load(name));
    }

    /**
     * Creates an environment: its inventory, {@code group_vars/web.yml}, and a secrets file
     * encrypted with the vault password, holding a generated {@code secret_key} and
     * {@code config_repo_api_key}. Nothing is written when an argument is refused.
     *
     * @param name the new environment's name
     * @param host its host (a DNS name or an IP address)
     * @param user the SSH user (null: root)
     * @param domain the domain served (null: the host)
     * @return the environment's folder
     * @throws ConfigException a bad name or host, an environment of that name already exists
     * @throws OpsException the vault password cannot be read, a file cannot be written
     */
    public Path newEnvironment(String name, String host, String user, String domain) throws OpsException {
        Vault v = vault();
        return catalogue().create(new EnvironmentCatalogue.NewEnvironment(name, host, user, domain), v,
                v.encryptionSecret(null), new RandomKeys());
    }

    /**
     * Removes an environment's folder, all or nothing: when something would stop the removal half-way,
     * nothing is removed. The resources outside the folder ({@link #DECOMMISSION_CHECKLIST}) are
     * the caller's to release.
     *
     * @param name the environment
     * @return the folder removed
     * @throws ConfigException unknown environment
     * @throws OpsException the folder cannot be removed (nothing was)
     */
    public Path decommission(String name) throws OpsException {
        Path dir = load(name).dir();
        catalogue().decommission(name);
        loaded.remove(name);
        return dir;
    }

    /**
     * Provisioning of an environment's web hosts ({@code make ops-provision}).
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public ProvisionCommand provision(String name) {
        return new ProvisionCommand(this, name);
    }

    /**
     * A deploy of an environment's web hosts ({@code make ops-deploy}).
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public DeployCommand deploy(String name) {
        return new DeployCommand(this, name);
    }

    /**
     * A rollback of an environment's web hosts to a release still on them.
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public RollbackCommand rollback(String name) {
        return new RollbackCommand(this, name);
    }

    /**
     * The releases on an environment's web hosts.
     *
     * @param name the environment
     * @return every release, newest first per host
     * @throws OpsException unknown environment, a host unreachable
     */
    public List<fr.gouv.data.catalogue.ops.report.ReleaseInfo> releases(String name) throws OpsException {
        return new DeployState(this, name).releases();
    }

    /**
     * The deploy audit log of an environment's web hosts.
     *
     * @param name the environment
     * @return every record, oldest first per host
     * @throws OpsException unknown environment, a host unreachable
     */
    public List<fr.gouv.data.catalogue.ops.report.HistoryEntry> history(String name) throws OpsException {
        return new DeployState(this, name).history();
    }

    /**
     * An environment's deploy lock: its status, or its release by hand.
     *
     * @param name the environment
     * @return the lock's operations
     */
    public DeployState lock(String name) {
        return new DeployState(this, name);
    }

    // ---------------------------------------------------------------------------------------------
    // doctor: the debugging runbook, automated

    /**
     * Doctor on an environment's web hosts: every check of the debugging runbook, changing nothing.
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public DoctorCommand doctor(String name) {
        return new DoctorCommand(this, name);
    }

    // ---------------------------------------------------------------------------------------------
    // certificates: certbot's on the web hosts (list, renew, reissue)

    /**
     * The certificates certbot manages on an environment's web hosts, as {@code certbot certificates}
     * lists them.
     *
     * @param name the environment
     * @param hosts only these hosts (none: every web host)
     * @return per host, every certificate: name, domains, expiry, days left, serial, paths
     * @throws fr.gouv.data.catalogue.ops.ConfigException unknown environment or host, {@code tls_enabled} false
     * @throws OpsException a host unreachable, certbot missing
     */
    public List<fr.gouv.data.catalogue.ops.report.HostCertificates> certs(String name, String... hosts) throws OpsException {
        return new fr.gouv.data.catalogue.ops.internal.certs.Certificates(load(name), catalogue().opsDir(), access(),
                environmentVariables).list(new java.util.LinkedHashSet<>(List.of(hosts)));
    }

    /**
     * A renewal now ({@code certbot renew}) of the certificates on an environment's web hosts.
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public CertRenewCommand renewCerts(String name) {
        return new CertRenewCommand(this, name);
    }

    /**
     * A reissue (revoke, delete, obtain again) of an environment's certificate on its web hosts.
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public CertReissueCommand reissueCerts(String name) {
        return new CertReissueCommand(this, name);
    }

    // ---------------------------------------------------------------------------------------------
    // initial data and the app's tools, run in the live release

    /**
     * Loading an environment's initial data with the app's tool ({@code make ops-initdata}).
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public InitdataCommand initdata(String name) {
        return new InitdataCommand(this, name);
    }

    /**
     * Running one of the app's tools in an environment's live release ({@code make ops-dedupe-tags}).
     *
     * @param name the environment
     * @param tool the tool's name, e.g. {@code dedupe-tags} (see {@link #tools(String)})
     * @return the command, to configure and {@code call()}
     */
    public ToolRunCommand run(String name, String tool) {
        return new ToolRunCommand(this, name, tool);
    }

    /**
     * The tools {@link #run(String, String)} knows for an environment: the built-in ones and those of
     * its variable {@code tools}. No host is contacted.
     *
     * @param name the environment
     * @return the tools, the built-in ones first
     * @throws OpsException unknown environment, an invalid {@code tools} variable
     */
    public List<fr.gouv.data.catalogue.ops.report.ToolInfo> tools(String name) throws OpsException {
        return fr.gouv.data.catalogue.ops.internal.daytwo.AppToolRun.tools(load(name)).tools().stream()
                .map(t -> new fr.gouv.data.catalogue.ops.report.ToolInfo(t.name(), t.argv(), t.builtIn())).toList();
    }

    /**
     * A ping of every host of an environment.
     *
     * @param name the environment
     * @return the command, to configure and {@code call()}
     */
    public PingCommand ping(String name) {
        return new PingCommand(this, name);
    }

    /**
     * Recording the host keys of an environment's hosts in its {@code known_hosts}.
     *
     * @param name the environment
     * @return the command, to {@code call()}
     */
    public TrustHostsCommand trustHosts(String name) {
        return new TrustHostsCommand(this, name);
    }

    /**
     * The staging branch workflow on a git clone.
     *
     * @param repository the clone's working tree
     * @return its commands
     */
    public StagingCommands staging(Path repository) {
        return new StagingCommands(workingDirectory.resolve(repository).normalize(), environmentVariables);
    }

    /**
     * Every secret text a run on {@code name} may see: the environment's secret values and the vault
     * passwords. For front ends that mask them in what they print (a CI log).
     *
     * @param name the environment
     * @return the texts, in no particular order
     * @throws OpsException unknown environment, wrong vault password
     */
    public List<String> secretsToMask(String name) throws OpsException {
        Environment env = load(name);
        List<String> texts = new ArrayList<>();
        for (Variable v : env.secrets().values()) {
            collect(v.value(), texts);
        }
        for (VaultSecret s : vault().secrets()) {
            texts.add(s.textToMask());
        }
        return texts;
    }

    private static void collect(Object value, List<String> into) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, into));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, into));
        } else if (value != null && !(value instanceof Boolean) && !(value instanceof Number)) {
            String text = String.valueOf(value);
            into.add(text);
            if (text.strip().startsWith("{") || text.strip().startsWith("[")) {
                // a JSON value (passwords: '{"admin@...": "..."}'): each of its values is a secret too
                try {
                    collect(new ObjectMapper().readValue(text, Object.class), into);
                } catch (JsonProcessingException notJson) {
                    // a plain text that starts with a brace
                }
            }
        }
    }

    /** Forgets the vault passwords and the SSH key's passphrase. */
    @Override
    public void close() {
        if (vault != null) {
            vault.secrets().forEach(VaultSecret::close);
            vault = null;
        }
        if (sshKeyPassphrase != null) {
            Arrays.fill(sshKeyPassphrase, '\0');
        }
        sshKey = null;
    }

    EnvironmentCatalogue catalogue() throws ConfigException {
        if (catalogue == null) {
            catalogue = opsDir != null ? EnvironmentCatalogue.at(opsDir) : EnvironmentCatalogue.locate(searchFrom);
        }
        return catalogue;
    }

    Environment load(String name) throws OpsException {
        if (name == null || name.isBlank()) {
            throw new ConfigException("no environment given; environments: " + String.join(", ", environments()));
        }
        Environment env = loaded.get(name);
        if (env == null) {
            env = catalogue().environment(name, new Environment.Options(new ExtraVars(extraVars), this::vault,
                    HostFacts.NONE, workingDirectory));
            loaded.put(name, env);
        }
        return env;
    }

    Map<String, String> environmentVariables() {
        return environmentVariables;
    }

    HostAccess access() {
        return sshKey == null ? HostAccess.INVENTORY : HostAccess.withKey(sshKey, sshKeyPassphrase);
    }

    private synchronized Vault vault() throws OpsException {
        if (vault == null) {
            List<VaultSecret> secrets = new ArrayList<>();
            for (VaultSource source : vaultSources) {
                secrets.add(source.open(this));
            }
            if (secrets.isEmpty()) {
                secrets.add(VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, catalogue().defaultVaultPasswordFile()));
            }
            vault = new Vault(secrets);
        }
        return vault;
    }
}
