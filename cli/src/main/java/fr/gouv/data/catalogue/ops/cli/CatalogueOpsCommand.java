package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import fr.gouv.data.catalogue.ops.internal.environment.ExtraVars;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command and its global options, shared by every subcommand. */
@Command(name = "catalogue-ops", mixinStandardHelpOptions = true, version = "catalogue-ops 0.1.0",
        description = "Provision and deploy the catalogue service to Debian hosts, from an ops/ansible folder.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the operation failed", "2:bad usage or configuration"})
public final class CatalogueOpsCommand implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(EnvCommand.class, SecretsCommand.class, VaultCommand.class,
            StagingCommand.class, TestbedCommand.class, ProvisionCommand.class, DeployCommands.Deploy.class,
            DeployCommands.Rollback.class, DeployCommands.Releases.class, DeployCommands.History.class, DeployCommands.Lock.class,
            // day-two operations
            DayTwoCommands.Initdata.class, DayTwoCommands.Run.class, DoctorCommand.class,
            HostsCommands.PingCommand.class, HostsCommands.HostsCommand.class, KeyCommands.SecretKey.class,
            KeyCommands.ApiKey.class,
            // certificates
            CertsCommand.class);

    /** The global options that take a value (the word after them is that value, not a command). */
    static final Set<String> VALUE_OPTIONS = Set.of("--ops-dir", "--vault-password-file", "--vault-id", "-e", "--extra-vars");

    /**
     * The command line for these arguments. picocli builds the model of every command it is given
     * (their options, from annotations, by reflection): about 0.15 s for all of them, a third of a
     * rollback's start. So when the arguments name a command, only that one is added; without one
     * (usage, --help, --version, a mistyped name), all are, and the usage and picocli's
     * suggestions are as before.
     */
    static CommandLine commandLine(Session session, String... args) {
        CommandLine cli = new CommandLine(new CatalogueOpsCommand(session));
        String named = commandName(args);
        List<Class<?>> chosen = SUBCOMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(named)).toList();
        (chosen.isEmpty() ? SUBCOMMANDS : chosen).forEach(cli::addSubcommand);
        return cli;
    }

    /** The first word that is neither a global option nor its value: the command's name, or null. */
    static String commandName(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUE_OPTIONS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    final Session session;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--ops-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "The ops folder (default: ops/ansible, searched upwards from the current directory).")
    String opsDir;

    @Option(names = "--vault-password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Vault password file, or executable printing it (default: $CATALOGUE_VAULT_PASSWORD_FILE,"
                    + " else <ops-dir>/vault-password). Repeatable.")
    List<String> vaultPasswordFiles = new ArrayList<>();

    @Option(names = "--vault-id", scope = ScopeType.INHERIT, paramLabel = "[LABEL@]FILE",
            description = "Vault id: LABEL@FILE, LABEL@prompt, or FILE. Repeatable.")
    List<String> vaultIds = new ArrayList<>();

    @Option(names = {"--ask-vault-pass", "--ask-vault-password"}, scope = ScopeType.INHERIT, description = "Ask for the vault password.")
    boolean askVaultPassword;

    @Option(names = {"-e", "--extra-vars"}, scope = ScopeType.INHERIT, paramLabel = "VARS",
            description = "Extra variables, highest precedence: key=value, @file (YAML/JSON) or a YAML/JSON mapping.")
    List<String> extraVars = new ArrayList<>();

    CatalogueOpsCommand(Session session) {
        this.session = session;
    }

    @Override
    public void run() {
        // the command line this runs in: it has every subcommand (no command was named)
        spec.commandLine().usage(session.out());
    }

    EnvironmentCatalogue catalogue() throws ConfigException {
        if (opsDir != null && opsDir.isBlank()) {
            throw new ConfigException("--ops-dir is empty; give the ops/ansible folder, or leave the option out to find"
                    + " it from the current directory");
        }
        return opsDir != null ? EnvironmentCatalogue.at(session.resolve(opsDir)) : EnvironmentCatalogue.locate(session.cwd());
    }

    Environment.Options options() {
        return new Environment.Options(new ExtraVars(extraVars), this::vault, fr.gouv.data.catalogue.ops.internal.environment.HostFacts.NONE,
                session.cwd());
    }

    Environment environment(String name) throws ConfigException {
        return catalogue().environment(name, options());
    }

    private Vault vault;
    private CatalogueOps ops;

    /** The facade for this run, with the run's ops folder, vault sources, extra variables and session. */
    CatalogueOps ops() throws ConfigException {
        if (opsDir != null && opsDir.isBlank()) {
            catalogue(); // says the option is empty
        }
        if (ops == null) {
            CatalogueOps o = opsDir != null ? CatalogueOps.open(session.resolve(opsDir)) : CatalogueOps.locate(session.cwd());
            o.workingDirectory(session.cwd()).environmentVariables(session.env()).passwordPrompt(session.prompt()::ask)
                    .extraVarArguments(extraVars);
            o.vaultIds(vaultIds.toArray(String[]::new));
            vaultPasswordFiles.forEach(f -> o.vaultPasswordFile(session.resolve(f)));
            if (askVaultPassword) {
                o.askVaultPassword();
            }
            String fromEnv = session.env().get("CATALOGUE_VAULT_PASSWORD_FILE");
            if (vaultIds.isEmpty() && vaultPasswordFiles.isEmpty() && !askVaultPassword && fromEnv != null && !fromEnv.isBlank()) {
                o.vaultPasswordFile(session.resolve(fromEnv));
            }
            ops = o;
        }
        return ops;
    }

    /** The vault secrets of this run, read once: --vault-id, --vault-password-file, then the defaults. */
    Vault vault() throws OpsException {
        if (vault == null) {
            vault = new Vault(secrets(vaultIds, vaultPasswordFiles, askVaultPassword, true));
        }
        return vault;
    }

    List<VaultSecret> secrets(List<String> ids, List<String> files, boolean ask, boolean useDefaults) throws OpsException {
        List<VaultSecret> secrets = new ArrayList<>();
        VaultPasswords.ScriptWait wait = scriptWait();
        for (String id : ids) {
            secrets.add(VaultPasswords.fromVaultId(id, session.cwd(), session.prompt(), wait));
        }
        for (String file : files) {
            if (file.isBlank()) {
                throw new ConfigException("--vault-password-file is empty; give the password file");
            }
            secrets.add(VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, session.resolve(file), wait));
        }
        if (ask) {
            secrets.add(VaultPasswords.fromPrompt(VaultSecret.DEFAULT_LABEL, session.prompt()));
        }
        if (secrets.isEmpty() && useDefaults) {
            secrets.add(VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, defaultPasswordFile(), wait));
        }
        return secrets;
    }

    /** The password script's time limit: {@code $CATALOGUE_VAULT_SCRIPT_TIMEOUT} seconds, else the default. */
    private VaultPasswords.ScriptWait scriptWait() throws ConfigException {
        VaultPasswords.ScriptWait wait = VaultPasswords.ScriptWait.DEFAULT;
        String seconds = session.env().get("CATALOGUE_VAULT_SCRIPT_TIMEOUT");
        java.time.Duration timeout = wait.timeout();
        if (seconds != null && !seconds.isBlank()) {
            if (!seconds.strip().matches("[0-9]{1,6}") || Integer.parseInt(seconds.strip()) == 0) {
                throw new ConfigException("CATALOGUE_VAULT_SCRIPT_TIMEOUT=" + seconds + ": give a number of seconds"
                        + " from 1 to 999999");
            }
            timeout = java.time.Duration.ofSeconds(Integer.parseInt(seconds.strip()));
        }
        return new VaultPasswords.ScriptWait(timeout, wait.noticeAfter(), m -> session.err().println("catalogue-ops: " + m));
    }

    private Path defaultPasswordFile() throws ConfigException {
        String fromEnv = session.env().get("CATALOGUE_VAULT_PASSWORD_FILE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return session.resolve(fromEnv);
        }
        try {
            return catalogue().defaultVaultPasswordFile();
        } catch (ConfigException noOpsDir) {
            throw new ConfigException("no vault password given and no ops/ansible folder to find vault-password in;"
                    + " pass --vault-password-file FILE or --vault-id [LABEL@]FILE");
        }
    }
}
