package fr.gouv.data.catalogue.ops.jenkins;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.util.DirScanner;
import hudson.util.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** {@link JenkinsServices} over the real Jenkins API: the context's workspace and the credentials plugin. */
final class JenkinsApi implements JenkinsServices {
    private static final String EVERYTHING = "**/*";

    @Override
    public Workspace workspace(StepContext context) throws IOException, InterruptedException {
        FilePath ws = context.get(FilePath.class);
        if (ws == null) {
            throw new AbortException("no workspace: call this step inside node { ... } after checking out the repository that"
                    + " holds the ops folder");
        }
        return new Workspace() {
            @Override
            public boolean exists(String relative) throws IOException, InterruptedException {
                return ws.child(relative).exists();
            }

            @Override
            public void copyFolder(String relative, Path into) throws IOException, InterruptedException {
                // Everything, .git included: copyRecursiveTo(target) alone applies Ant's default excludes
                // (**/.git/**, .gitignore, ...), and catalogueStaging's copy must be a git clone.
                ws.child(relative).copyRecursiveTo(new DirScanner.Glob(EVERYTHING, null, false), new FilePath(into.toFile()),
                        EVERYTHING);
                restoreGitFolders(into);
            }
        };
    }

    /**
     * FilePath copies files, never a folder by itself: once a gc has packed every ref, a clone's
     * refs folders are empty and the copy has none, which git and JGit take for "not a repository".
     */
    static void restoreGitFolders(Path copy) throws IOException {
        Path git = copy.resolve(".git");
        if (Files.isDirectory(git)) {
            for (String folder : GIT_FOLDERS) {
                Files.createDirectories(git.resolve(folder));
            }
        }
    }

    private static final List<String> GIT_FOLDERS = List.of("refs/heads", "refs/tags", "objects/info", "objects/pack");

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
