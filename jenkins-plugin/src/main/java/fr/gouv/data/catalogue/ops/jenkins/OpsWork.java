package fr.gouv.data.catalogue.ops.jenkins;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * A step's work, run where the build's workspace is ({@code FilePath.act}): on the agent that
 * holds it, or on the controller for a workspace of the built-in node. It carries what the work
 * needs and nothing of the controller: the step's arguments, the credentials' values
 * ({@link OpsSecrets}, wiped when the work ends), the build's environment variables and the
 * build log as a {@link TaskListener} (remoting sends what is written to it back to the build).
 * Every secret is masked on this side, before a byte reaches the listener.
 */
abstract class OpsWork<T> extends MasterToSlaveFileCallable<T> {
    private static final long serialVersionUID = 1L;

    private final String folder;
    private final String parameter;
    private final OpsSecrets secrets;
    private final HashMap<String, String> buildEnvironment;
    private final TaskListener listener;

    /**
     * @param launch what the controller gathered for the step (log, credentials' values, environment)
     * @param folder the workspace's folder to work on (the ops folder, or for staging the git clone)
     * @param parameter the step parameter that names {@code folder}, for messages
     */
    OpsWork(OpsStep.Launch launch, String folder, String parameter) {
        this.folder = folder;
        this.parameter = parameter;
        this.secrets = launch.secrets();
        this.buildEnvironment = new HashMap<>(launch.environment());
        this.listener = launch.listener();
    }

    @Override
    public final T invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        try {
            File dir = new File(workspace, folder);
            if (!dir.exists()) {
                throw new AbortException(parameter + " '" + folder + "' is not in the workspace; check out the repository that"
                        + " holds it first (checkout scm), or set " + parameter);
            }
            try (OpsRun run = OpsRun.open(dir.toPath(), listener, secrets, buildEnvironment)) {
                return work(run);
            }
        } finally {
            secrets.wipe();
        }
    }

    /** The work itself, on the private copy; failures a user can meet are {@link AbortException}s with masked messages. */
    protected abstract T work(OpsRun run) throws IOException, InterruptedException;

    /** Blanks the credentials' values this work carries. */
    void wipe() {
        secrets.wipe();
    }

    /** The build's environment as the work sees it (for tests). */
    Map<String, String> buildEnvironment() {
        return Map.copyOf(buildEnvironment);
    }
}
