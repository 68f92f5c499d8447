package fr.gouv.data.catalogue.ops.internal.staging;
import fr.gouv.data.catalogue.ops.StagingException;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.git.GitLocationResolver;
import org.apache.sshd.git.pack.GitPackCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fetch and push over real SSH (a git server on 127.0.0.1), with a key and a pinned host key. */
class StagingSshPushTest {
    @TempDir
    Path tmp;
    GitFixture git;
    SshServer server;
    Path sshDir;
    Path work;

    @BeforeEach
    void serverAndClient() throws Exception {
        git = new GitFixture(tmp);
        sshDir = Files.createDirectories(tmp.resolve("client-home/.ssh"));
        runSshKeygen(sshDir.resolve("id_ed25519"));

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(tmp.resolve("host-key"));
        server.setKeyPairProvider(hostKeys);
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(sshDir.resolve("id_ed25519.pub")));
        server.setCommandFactory(new GitPackCommandFactory().withGitLocationResolver(GitLocationResolver.constantPath(tmp)));
        server.start();

        work = git.clone("work");
        git.git(work, "remote", "set-url", "origin", "ssh://git@127.0.0.1:" + server.getPort() + "/origin.git");
        git.git(work, "checkout", "-q", "-b", "feature");
        git.commit(work, "f.txt", "f\n", "Add f");

        KeyPair host = hostKeys.loadKeys(null).iterator().next();
        Files.writeString(tmp.resolve("known_hosts_line"), "[127.0.0.1]:" + server.getPort() + " "
                + PublicKeyEntry.toString(host.getPublic()) + "\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop(true);
        }
    }

    private void runSshKeygen(Path key) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ci", "-f", key.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
    }

    @Test
    void pushesOverSshWithAKeyAndAPinnedHostKey() throws Exception {
        Files.copy(tmp.resolve("known_hosts_line"), sshDir.resolve("known_hosts"));
        try (Staging s = Staging.open(work, Map.of()).sshDirectory(sshDir)) {
            StagingMergeReport r = s.merge().push(true).call();
            assertTrue(r.pushed());
        }
        assertEquals(git.rev(work, "feature"), git.originRev("staging"));
    }

    @Test
    void unknownHostKeyIsRefused() throws Exception {
        try (Staging s = Staging.open(work, Map.of()).sshDirectory(sshDir)) {
            StagingException e = assertThrows(StagingException.class, () -> s.merge().push(true).call());
            assertTrue(e.getMessage().startsWith("cannot fetch origin:"), e.getMessage());
        }
        assertEquals(git.originRev("master"), git.originRev("staging"), "nothing pushed");
    }
}
