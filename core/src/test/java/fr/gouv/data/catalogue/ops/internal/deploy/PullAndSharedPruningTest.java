package fr.gouv.data.catalogue.ops.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy_code: pull (its commands, run here against a real git repository) and the pruning of shared folders. */
class PullAndSharedPruningTest {
    static final ReleaseLayout LAYOUT = new ReleaseLayout("/home/app/catalogage");
    static final String URL = "https://x-access-token:tok123@git.example.org/app.git";

    @Test
    void pullCommandsAreFixedScriptsAndTheUrlGoesOnStandardInput() {
        Command r = PullCode.resolve(LAYOUT, URL, "v2");
        String cache = "/home/app/catalogage/shared/git/" + CodeArchive.sha256(URL.getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                + ".git";
        assertEquals(List.of("sh", "-c", PullCode.RESOLVE, "sh", "/home/app/catalogage", cache, "v2", "requirements.txt",
                "client/package-lock.json", "client/package.json"), r.argv());
        assertEquals(URL + "\n", new String(r.stdin(), StandardCharsets.UTF_8));
        Command c = PullCode.checkout(LAYOUT, URL, "0123456789abcdef0123456789abcdef01234567", "20261201180509-0123456");
        assertEquals(List.of("sh", "-c", PullCode.CHECKOUT, "sh", cache, "0123456789abcdef0123456789abcdef01234567",
                "/home/app/catalogage/releases/20261201180509-0123456"), c.argv());
        for (Command any : List.of(r, c)) {
            assertFalse(String.join(" ", any.argv()).contains("tok123"), "no token on a command line");
        }
    }

    static ExecOut sh(Command c, Path cwd) throws Exception {
        Process p = new ProcessBuilder(c.argv()).directory(cwd.toFile()).start();
        if (c.stdin() != null) {
            p.getOutputStream().write(c.stdin());
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ExecOut(p.waitFor(), out, err);
    }

    record ExecOut(int exit, String out, String err) {
    }

    static void git(Path dir, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=t", "-c", "user.email=t@t",
                "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void theHostResolvesLikePushModeAndMakesTheReleaseWithoutGit(@TempDir Path tmp) throws Exception {
        Path work = tmp.resolve("work");
        Files.createDirectories(work.resolve("client"));
        git(work, "init", "-q", "-b", "master");
        Files.writeString(work.resolve("requirements.txt"), "starlette\n");
        Files.writeString(work.resolve("client/package-lock.json"), "{}\n");
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", "one");
        git(work, "tag", "-a", "-m", "v1", "v1");
        Path bare = tmp.resolve("app.git");
        Process clone = new ProcessBuilder("git", "clone", "-q", "--bare", work.toString(), bare.toString()).start();
        assertEquals(0, clone.waitFor());
        ReleaseLayout layout = new ReleaseLayout(tmp.resolve("catalogage").toString());
        String url = bare.toString();

        ExecOut r = sh(PullCode.resolve(layout, url, "v1"), tmp);
        assertEquals(0, r.exit(), r.err());
        CodeArchive.Resolved code = PullCode.parse("web", url, "v1", r.exit(), r.out(), r.err());
        assertTrue(code.commit().matches("[0-9a-f]{40}"), r.out());
        assertNull(code.tar());
        assertEquals("starlette\n", new String(code.keyFiles().get("requirements.txt"), StandardCharsets.UTF_8));
        assertFalse(code.keyFiles().containsKey("client/package.json"));
        assertTrue(code.commitTime() > 0);
        ExecOut abbreviated = sh(PullCode.resolve(layout, url, code.commit().substring(0, 8)), tmp);
        assertEquals(code.commit(), PullCode.parse("web", url, "x", 0, abbreviated.out(), "").commit());

        ExecOut unknown = sh(PullCode.resolve(layout, url, "nosuchref"), tmp);
        ConfigException e = assertThrows(ConfigException.class, () -> PullCode.parse("web", url, "nosuchref", unknown.exit(),
                unknown.out(), unknown.err()));
        assertEquals("git_version nosuchref is not a branch, tag or commit of " + url + " (resolved on web, deploy_code: pull);"
                + " nothing was changed", e.getMessage());
        ExecOut unreachable = sh(PullCode.resolve(layout, tmp.resolve("nowhere.git").toString(), "v1"), tmp);
        assertEquals(PullCode.UNREACHABLE, unreachable.exit(), unreachable.err());
        Path empty = tmp.resolve("empty.git");
        assertEquals(0, new ProcessBuilder("git", "init", "-q", "--bare", empty.toString()).start().waitFor());
        assertEquals(PullCode.EMPTY, sh(PullCode.resolve(layout, empty.toString(), "v1"), tmp).exit());

        String id = ReleaseLayout.releaseId(java.time.Instant.now(), code.commit());
        ExecOut made = sh(PullCode.checkout(layout, url, code.commit(), id), tmp);
        assertEquals(0, made.exit(), made.err());
        Path release = Path.of(layout.release(id));
        assertEquals(code.commit() + "\n", Files.readString(release.resolve("REVISION")));
        assertEquals("{}\n", Files.readString(release.resolve("client/package-lock.json")));
        assertFalse(Files.exists(release.resolve(".git")));
        assertFalse(Files.exists(Path.of(release + ".partial")));
        assertEquals(PullCode.RELEASE_EXISTS, sh(PullCode.checkout(layout, url, code.commit(), id), tmp).exit(), "a release folder that exists");
        assertEquals(PullCode.MISSING_COMMIT, sh(PullCode.checkout(layout, url, "0".repeat(40), id + "x"), tmp).exit());
        assertThrows(OpsException.class, () -> PullCode.parse("web", url, "v1", 0, "time=1\n", ""));
    }

    @Test
    void aTokenInTheRepositoryUrlNeverReachesAMessage() {
        String url = "https://x-access-token:s3cr3t-t0ken@git.example.org/team/app.git";
        assertEquals("https://***@git.example.org/team/app.git", CodeArchive.shown(url));
        assertEquals("https://***@git.example.org/app.git", CodeArchive.shown("https://s3cr3t-t0ken@git.example.org/app.git"));
        assertEquals("/srv/git/app.git", CodeArchive.shown("/srv/git/app.git"));
        assertEquals("git@git.example.org:team/app.git", CodeArchive.shown("git@git.example.org:team/app.git"));
        String failure = PullCode.checkoutFailure("web-1", url, "0123456789abcdef0123456789abcdef01234567", "r", PullCode.UNREACHABLE,
                "fatal: unable to access '" + url + "/': Could not resolve host");
        assertFalse(failure.contains("s3cr3t-t0ken"), failure);
        OpsException e = assertThrows(OpsException.class, () -> PullCode.parse("web-1", url, "v9", PullCode.UNKNOWN_REF, "", ""));
        assertFalse(e.getMessage().contains("s3cr3t-t0ken"), e.getMessage());
        assertTrue(e.getMessage().contains("https://***@git.example.org/team/app.git"), e.getMessage());
    }

    @Test
    void sharedFoldersGoWhenNoReleaseLeftLinksToThem() {
        String a = "aaaaaaaaaaaaaaaa";
        String b = "bbbbbbbbbbbbbbbb";
        String c = "cccccccccccccccc";
        Pruning.SharedUse use = Pruning.SharedUse.parse("venv=" + a + "\nvenv=" + b + "\nvenv=" + c + "\nvenv=by-hand\nnode=" + a
                + "\nnode=" + b + "\nuses=r1 venv " + a + "\nuses=r1 node " + a + "\nuses=r2 venv " + b + "\nuses=r2 node " + a
                + "\nuses=r3 venv " + b + "\nuses=r3 node " + b + "\n");
        assertEquals(List.of(c), use.unusedVenvs(List.of()), "a half-built one no release links to goes; by-hand stays");
        assertEquals(List.of(a, c), use.unusedVenvs(List.of("r1")));
        assertEquals(List.of(), use.unusedNodes(List.of("r1")), "r2 still uses node " + a);
        assertEquals(List.of(a), use.unusedNodes(List.of("r1", "r2")));
        assertEquals(List.of(a, b, c), use.unusedVenvs(List.of("r1", "r2", "r3")));
    }

    @Test
    void theSharedListingReadsTheLinksOfEachRelease(@TempDir Path tmp) throws Exception {
        ReleaseLayout layout = new ReleaseLayout(tmp.toString());
        String k1 = "1111111111111111";
        String k2 = "2222222222222222";
        Files.createDirectories(Path.of(layout.venv(k1)));
        Files.createDirectories(Path.of(layout.venv(k2)));
        Files.createDirectories(Path.of(layout.nodeModules(k1), "node_modules"));
        Path r = Path.of(layout.release("20261201180509-0123456"));
        Files.createDirectories(r.resolve("client"));
        Files.createSymbolicLink(r.resolve("venv"), Path.of(layout.venv(k1)));
        Files.createSymbolicLink(r.resolve("client/node_modules"), Path.of(layout.nodeModules(k1), "node_modules"));
        Files.createDirectories(Path.of(layout.release("20261201180510-0123456")));
        ExecOut out = sh(DeployScripts.sharedUse(layout), tmp);
        assertEquals(0, out.exit(), out.err());
        Pruning.SharedUse use = Pruning.SharedUse.parse(out.out());
        assertEquals(List.of(k2), use.unusedVenvs(List.of()), out.out());
        assertEquals(List.of(k1, k2), use.unusedVenvs(List.of("20261201180509-0123456")));
        assertEquals(List.of(), use.unusedNodes(List.of()));
        assertEquals(List.of("rm", "-rf", "--", layout.venv(k2), layout.nodeModules(k1)),
                DeployScripts.removeShared(layout, List.of(k2), List.of(k1)).argv());
    }

    @Test
    void theReloadWaitsForTheWorkersOfTheOldConfigurationAndItsScriptParses(@TempDir Path tmp) throws Exception {
        Command reload = Nginx.testAndReload();
        String script = reload.argv().get(2);
        assertTrue(script.contains("nginx -s reload") && script.contains("$3 == \"worker\""), script);
        Command check = Command.of("sh", "-n", "-c", script);
        assertEquals(0, sh(check, tmp).exit(), "sh -n: " + sh(check, tmp).err());
    }
}
