package fr.gouv.data.catalogue.ops.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** {@link JenkinsServices} over the real Jenkins API: the context's workspace and the credentials plugin. */
final class JenkinsApi implements JenkinsServices {
    @Override
    public Workspace workspace(StepContext context) throws IOException, InterruptedException {
        FilePath ws = context.get(FilePath.class);
        if (ws == null) {
            throw new AbortException("no workspace: call this step inside node { ... } after checking out the repository that"
                    + " holds the ops folder");
        }
        return new Workspace() {
            @Override
            public <T> T act(FilePath.FileCallable<T> work) throws IOException, InterruptedException {
                return ws.act(work);
            }
        };
    }

    @Override
    public byte[] secret(String credentialsId, Run<?, ?> run) throws IOException {
        StandardCredentials c = CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class, run);
        if (c instanceof StringCredentials s) {
            CredentialsProvider.track(run, s);
            return s.getSecret().getPlainText().getBytes(StandardCharsets.UTF_8);
        }
        if (c instanceof FileCredentials f) {
            CredentialsProvider.track(run, f);
            try (InputStream in = f.getContent()) {
                return in.readAllBytes();
            }
        }
        throw new AbortException("credentials '" + credentialsId + "': " + (c == null ? "not found (or not allowed for this build)"
                : "not a secret text or secret file") + "; add it in Jenkins' credentials or fix the id");
    }

    @Override
    public SshKey sshKey(String credentialsId, Run<?, ?> run) throws AbortException {
        SSHUserPrivateKey key = CredentialsProvider.findCredentialById(credentialsId, SSHUserPrivateKey.class, run);
        if (key == null) {
            throw new AbortException("credentials '" + credentialsId + "': no SSH private key with that id (or not allowed for"
                    + " this build); add an 'SSH Username with private key' credential or fix the id");
        }
        CredentialsProvider.track(run, key);
        Secret passphrase = key.getPassphrase();
        String text = passphrase == null ? "" : passphrase.getPlainText();
        return new SshKey(key.getUsername(), key.getPrivateKeys(), text.isEmpty() ? null : text.toCharArray());
    }
}
