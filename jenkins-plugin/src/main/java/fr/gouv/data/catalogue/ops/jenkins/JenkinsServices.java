package fr.gouv.data.catalogue.ops.jenkins;

import hudson.FilePath;
import hudson.model.Run;
import java.io.IOException;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What the steps need from Jenkins beyond the step context: the build's workspace (to run work where it is), and the
 * credentials (looked up for the run and tracked). {@link JenkinsApi} is the real one; tests put
 * their own in {@link #current}, since no Jenkins runs where this plugin is built.
 */
interface JenkinsServices {
    /** The build's workspace, wherever it lives (controller or agent). */
    interface Workspace {
        /**
         * Runs {@code work} on the node that holds the workspace, with the workspace's folder there;
         * an abort of the build interrupts it on that node.
         */
        <T> T act(FilePath.FileCallable<T> work) throws IOException, InterruptedException;
    }

    /** An SSH key from the credentials: the user it logs in as, its private keys (PEM/OpenSSH text) and passphrase. */
    record SshKey(String username, List<String> privateKeys, char[] passphrase) {
    }

    Workspace workspace(StepContext context) throws IOException, InterruptedException;

    /** A secret text or secret file credential's bytes (the vault password, a git token). */
    byte[] secret(String credentialsId, Run<?, ?> run) throws IOException, InterruptedException;

    SshKey sshKey(String credentialsId, Run<?, ?> run) throws IOException, InterruptedException;

    /** The services steps use; tests replace them. */
    final class Holder {
        static volatile JenkinsServices current = new JenkinsApi();

        private Holder() {
        }
    }

    static JenkinsServices current() {
        return Holder.current;
    }
}
