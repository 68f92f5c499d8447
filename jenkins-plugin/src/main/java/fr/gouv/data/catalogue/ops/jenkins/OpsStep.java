package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every catalogue step takes: where the ops folder is in the workspace, the SSH key for the
 * hosts and the vault password, both as Jenkins credentials ids.
 */
abstract class OpsStep extends Step {
    private String opsDir = EnvironmentCatalogue.DEFAULT_OPS_DIR;
    private String credentialsId;
    private String vaultCredentialsId;

    public String getOpsDir() {
        return opsDir;
    }

    /** The ops folder, relative to the workspace (default {@code ops/ansible}). */
    @DataBoundSetter
    public void setOpsDir(String opsDir) {
        this.opsDir = opsDir == null || opsDir.isBlank() ? EnvironmentCatalogue.DEFAULT_OPS_DIR : opsDir.strip();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** An "SSH Username with private key" credential for the hosts (default: the inventory's key files). */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = blankToNull(credentialsId);
    }

    public String getVaultCredentialsId() {
        return vaultCredentialsId;
    }

    /** A secret text or secret file credential holding the vault password. */
    @DataBoundSetter
    public void setVaultCredentialsId(String vaultCredentialsId) {
        this.vaultCredentialsId = blankToNull(vaultCredentialsId);
    }

    /**
     * What the controller gathers for a step's work before sending it to the workspace's node:
     * the build log, the credentials' values and the build's environment variables.
     */
    record Launch(TaskListener listener, OpsSecrets secrets, Map<String, String> environment) {
    }

    /**
     * Looks up the step's credentials for the build (tracked), reads the build's environment and
     * the user who started it (when the build's cause says so), on the controller.
     */
    Launch launch(StepContext context, String gitCredentialsId) throws IOException, InterruptedException {
        TaskListener listener = context.get(TaskListener.class);
        Run<?, ?> run = context.get(Run.class);
        if (listener == null || run == null) {
            throw new AbortException("catalogue steps run inside a Pipeline build (no build log or build found)");
        }
        // the build's environment as a sh step would see it (the node's, the build's variables, withEnv's)
        Map<String, String> environment = new HashMap<>();
        EnvVars vars = context.get(EnvVars.class);
        if (vars != null) {
            environment.putAll(vars);
        }
        Cause.UserIdCause user = run.getCause(Cause.UserIdCause.class);
        if (user != null && user.getUserId() != null && !environment.containsKey("BUILD_USER_ID")) {
            environment.put("BUILD_USER_ID", user.getUserId());
        }
        JenkinsServices services = JenkinsServices.current();
        OpsSecrets secrets = new OpsSecrets();
        if (vaultCredentialsId != null) {
            secrets.vaultPassword(chars(services.secret(vaultCredentialsId, run), false));
        }
        if (credentialsId != null) {
            JenkinsServices.SshKey key = services.sshKey(credentialsId, run);
            if (key.privateKeys().isEmpty()) {
                throw new AbortException("credentials '" + credentialsId + "' hold no private key");
            }
            secrets.sshKey(key.privateKeys().get(0).toCharArray(), key.passphrase());
        }
        if (gitCredentialsId != null) {
            secrets.gitToken(chars(services.secret(gitCredentialsId, run), true));
        }
        return new Launch(listener, secrets, environment);
    }

    /**
     * Runs the work on the node that holds the build's workspace and returns what it returned; the
     * credentials' values are wiped on this side too when it ends.
     */
    static <T> T act(StepContext context, OpsWork<T> work) throws IOException, InterruptedException {
        try {
            return JenkinsServices.current().workspace(context).act(work);
        } finally {
            work.wipe();
        }
    }

    /** A credential's bytes as characters (UTF-8), the bytes wiped. */
    private static char[] chars(byte[] bytes, boolean strip) {
        CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        int from = 0;
        int to = decoded.limit();
        if (strip) {
            while (from < to && Character.isWhitespace(decoded.get(from))) {
                from++;
            }
            while (to > from && Character.isWhitespace(decoded.get(to - 1))) {
                to--;
            }
        }
        char[] out = new char[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = decoded.get(i);
        }
        Arrays.fill(decoded.array(), '\0');
        Arrays.fill(bytes, (byte) 0);
        return out;
    }

    /** A comma-separated list (limit, tags) as a set; none for null. */
    static Set<String> split(String list) {
        return list == null ? Set.of() : Set.copyOf(List.of(list.strip().split("\\s*,\\s*")));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
