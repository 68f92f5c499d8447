package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import hudson.AbortException;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One step's work on the node that holds the workspace: its build log (every secret masked
 * before it is written), a private copy of the workspace's folder on that node (removed at the
 * end; it holds only what the repository holds, the secrets still encrypted), the vault opened
 * with the password from the credentials, and the hosts reached with the SSH key from the
 * credentials (kept in memory, never written).
 */
final class OpsRun implements AutoCloseable {
    /** Told of every private copy made (tests check each is removed); nothing by default. */
    static volatile Consumer<Path> copies = p -> { };

    private final OpsSecrets secrets;
    private final Map<String, String> environment;
    private final MaskingStream mask;
    private final PrintStream log;
    private final Path scratch;
    private final Path opsDir;
    private final PluginContextClassLoader contextClassLoader = PluginContextClassLoader.set();
    private CatalogueOps ops;

    private OpsRun(OpsSecrets secrets, Map<String, String> environment, MaskingStream mask, Path scratch, Path opsDir) {
        this.secrets = secrets;
        this.environment = environment;
        this.mask = mask;
        this.log = mask.printStream();
        this.scratch = scratch;
        this.opsDir = opsDir;
    }

    /**
     * Copies {@code folder} (on this node) into a private scratch folder; the build log masks every
     * credential's value from the start.
     */
    static OpsRun open(Path folder, TaskListener listener, OpsSecrets secrets, Map<String, String> buildEnvironment)
            throws IOException {
        MaskingStream mask = new MaskingStream(listener.getLogger());
        secrets.values().forEach(mask::add);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(buildEnvironment);
        Path scratch = PrivateFolder.create(Path.of(System.getProperty("java.io.tmpdir")), "catalogue-ops-jenkins-");
        try {
            Path copy = scratch.resolve("copy");
            copyTree(folder, copy);
            copies.accept(copy);
            return new OpsRun(secrets, Map.copyOf(environment), mask, scratch, copy);
        } catch (IOException | RuntimeException e) {
            delete(scratch);
            throw e;
        }
    }

    /** Copies a folder and all it holds, dot files and {@code .git} included, modes kept, links as links. */
    static void copyTree(Path from, Path into) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = into.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /** The build log, masking every secret known so far. */
    PrintStream log() {
        return log;
    }

    /** The private copy of the workspace folder this run works on. */
    Path opsDir() {
        return opsDir;
    }

    /** The environment the work sees: this node's, with the build's variables over it. */
    Map<String, String> environment() {
        return environment;
    }

    /** The git token from the credentials (masked already), or null. */
    String gitToken() {
        return secrets.gitToken() == null ? null : new String(secrets.gitToken()).strip();
    }

    /**
     * The facade on the private copy, opened once: the vault password from the credentials (else
     * the copy's vault-password file), the SSH key from the credentials (in memory) if one is set,
     * and {@code extraVars} as {@code -e} takes them (k=v pairs or a YAML/JSON mapping; may be null).
     */
    CatalogueOps ops(String extraVars) throws IOException {
        if (ops == null) {
            CatalogueOps o = CatalogueOps.open(opsDir).workingDirectory(opsDir).environmentVariables(environment);
            if (extraVars != null && !extraVars.isBlank()) {
                o.extraVarArguments(List.of(extraVars));
            }
            if (secrets.vaultPassword() != null) {
                o.vaultPassword(secrets.vaultPassword());
            }
            if (secrets.sshKey() != null) {
                o.sshKey(new String(secrets.sshKey()), secrets.sshPassphrase());
            }
            ops = o;
        }
        return ops;
    }

    /**
     * The facade, with every secret of environment {@code name} (and the vault password, as the
     * vault got it: a password script's output, not its text) masked before anything is printed.
     */
    CatalogueOps opsWithSecretsMasked(String name, String extraVars) throws OpsException, IOException {
        CatalogueOps o = ops(extraVars);
        if (secrets.vaultPassword() == null && !Files.isRegularFile(o.opsDir().resolve("vault-password"))) {
            throw new OpsException("no vault password: set vaultCredentialsId (a secret text or secret file credential)");
        }
        o.secretsToMask(name).forEach(mask::addWithForms);
        return o;
    }

    /** {@code text} with every known secret masked (for messages Jenkins prints itself, e.g. a step's failure). */
    String masked(String text) {
        return mask.masked(text);
    }

    /** A step's failure: one line, every secret masked. */
    AbortException failure(String message) {
        return new AbortException(masked(message));
    }

    /** Says in the build log, masked, why the work stopped on an abort, and passes the abort on. */
    InterruptedException aborted(InterruptedException e) {
        if (e.getMessage() != null) {
            log.println(e.getMessage());
        }
        return e;
    }

    @Override
    public void close() {
        try (contextClassLoader) {
            closeAll();
        }
    }

    private void closeAll() {
        if (ops != null) {
            ops.close();
        }
        log.flush();
        try {
            mask.close();
        } catch (IOException ignored) {
            // the build log is Jenkins'; nothing more to do here
        }
        delete(scratch);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder of ours; the system cleans its temp space
        }
    }
}
