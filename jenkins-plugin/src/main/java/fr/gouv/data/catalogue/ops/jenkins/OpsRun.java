package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * One step's run: its build log (every secret masked), a private copy of the workspace's ops
 * folder on this machine (removed at the end; it holds only what the repository holds, the
 * secrets still encrypted), the vault opened with the password from the credentials, and the
 * hosts reached with the SSH key from the credentials (kept in memory, never written).
 */
final class OpsRun implements AutoCloseable {
    private final OpsStep step;
    private final Run<?, ?> run;
    private final MaskingStream mask;
    private final PrintStream log;
    private final Path scratch;
    private final Path opsDir;
    private final PluginContextClassLoader contextClassLoader = PluginContextClassLoader.set();
    private CatalogueOps ops;

    private OpsRun(OpsStep step, Run<?, ?> run, MaskingStream mask, Path scratch, Path opsDir) {
        this.step = step;
        this.run = run;
        this.mask = mask;
        this.log = mask.printStream();
        this.scratch = scratch;
        this.opsDir = opsDir;
    }

    static OpsRun open(StepContext context, OpsStep step) throws IOException, InterruptedException {
        return open(context, step, step.getOpsDir(), "opsDir");
    }

    /** Copies {@code folder} of the workspace (the ops folder, or for staging the git clone) into a private scratch folder. */
    static OpsRun open(StepContext context, OpsStep step, String folder, String parameter) throws IOException,
            InterruptedException {
        TaskListener listener = context.get(TaskListener.class);
        Run<?, ?> run = context.get(Run.class);
        if (listener == null || run == null) {
            throw new AbortException("catalogue steps run inside a Pipeline build (no build log or build found)");
        }
        JenkinsServices.Workspace ws = JenkinsServices.current().workspace(context);
        if (!ws.exists(folder)) {
            throw new AbortException(parameter + " '" + folder + "' is not in the workspace; check out the repository that"
                    + " holds it first (checkout scm), or set " + parameter);
        }
        Path scratch = PrivateFolder.create(Path.of(System.getProperty("java.io.tmpdir")), "catalogue-ops-jenkins-");
        try {
            Path copy = scratch.resolve("copy");
            ws.copyFolder(folder, copy);
            return new OpsRun(step, run, new MaskingStream(listener.getLogger()), scratch, copy);
        } catch (IOException | InterruptedException | RuntimeException e) {
            delete(scratch);
            throw e;
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

    /** A secret text or secret file credential's value, masked from now on. */
    String secret(String credentialsId) throws IOException, InterruptedException {
        String value = new String(JenkinsServices.current().secret(credentialsId, run), StandardCharsets.UTF_8).strip();
        mask.add(value);
        return value;
    }

    /**
     * The facade on the private copy, opened once: the vault password from the credentials (else
     * the copy's vault-password file), the SSH key from the credentials (in memory) if one is set,
     * and {@code extraVars} as {@code -e} takes them (k=v pairs or a YAML/JSON mapping; may be null).
     */
    CatalogueOps ops(String extraVars) throws IOException, InterruptedException {
        if (ops == null) {
            CatalogueOps o = CatalogueOps.open(opsDir).workingDirectory(opsDir);
            if (extraVars != null && !extraVars.isBlank()) {
                o.extraVarArguments(List.of(extraVars));
            }
            if (step.getVaultCredentialsId() != null) {
                byte[] password = JenkinsServices.current().secret(step.getVaultCredentialsId(), run);
                String text = new String(password, StandardCharsets.UTF_8);
                mask.add(text);
                o.vaultPassword(text.toCharArray());
                Arrays.fill(password, (byte) 0);
            }
            if (step.getCredentialsId() != null) {
                JenkinsServices.SshKey key = JenkinsServices.current().sshKey(step.getCredentialsId(), run);
                if (key.privateKeys().isEmpty()) {
                    throw new AbortException("credentials '" + step.getCredentialsId() + "' hold no private key");
                }
                key.privateKeys().forEach(mask::add);
                if (key.passphrase() != null) {
                    mask.add(new String(key.passphrase()));
                }
                o.sshKey(key.privateKeys().get(0), key.passphrase());
            }
            ops = o;
        }
        return ops;
    }

    /**
     * The facade, with every secret of environment {@code name} (and the vault password, as the
     * vault got it: a password script's output, not its text) masked before anything is printed.
     */
    CatalogueOps opsWithSecretsMasked(String name, String extraVars) throws OpsException, IOException, InterruptedException {
        CatalogueOps o = ops(extraVars);
        if (step.getVaultCredentialsId() == null && !Files.isRegularFile(o.opsDir().resolve("vault-password"))) {
            throw new OpsException("no vault password: set vaultCredentialsId (a secret text or secret file credential)");
        }
        o.secretsToMask(name).forEach(mask::addWithForms);
        return o;
    }

    /** {@code text} with every known secret masked (for messages Jenkins prints itself, e.g. a step's failure). */
    String masked(String text) {
        return mask.masked(text);
    }

    /** Adds a value to mask (e.g. a git token). */
    void mask(String secret) {
        mask.add(secret);
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
