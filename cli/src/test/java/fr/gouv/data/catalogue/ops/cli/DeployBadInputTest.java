package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to deploy and rollback: one line, exit 2, and no host contacted (the example's host does not even resolve). */
class DeployBadInputTest {
    @TempDir
    Path tmp;

    final Path ops = Path.of("../examples/ops/ansible").toAbsolutePath().normalize();

    String error(String... args) {
        CliRun cli = new CliRun(tmp);
        cli.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        cli.run(CliRun.concat(new String[] {"--ops-dir", ops.toString()}, args));
        assertEquals(2, cli.exitCode, cli.toString());
        return cli.oneLineError();
    }

    static void run(Path cwd, String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void badOptionsAndUnknownCodeAreOneLineAndTouchNothing() throws Exception {
        assertEquals("catalogue-ops: --limit nosuchhost: no such host in demo; hosts: web.catalogue.test",
                error("deploy", "demo", "--limit", "nosuchhost"));
        assertEquals("catalogue-ops: --serial must be 0 (all hosts at once) or more (got -1)", error("deploy", "demo", "--serial", "-1"));
        assertEquals("catalogue-ops: --wait soon: not a duration; give seconds (90), 90s, 5m, 1h or PT2M",
                error("deploy", "demo", "--wait=soon"));
        assertEquals("catalogue-ops: --to last-week: not a release id (yyyyMMddHHmmss-abcdef0); see catalogue-ops releases demo",
                error("rollback", "demo", "--to", "last-week"));
        assertEquals("catalogue-ops: demo: deploy_code rsync is neither push (this machine sends the commit's files, the default)"
                + " nor pull (the hosts fetch git_repo); fix deploy_code in group_vars", error("-e", "deploy_code=rsync", "deploy", "demo"));
        String missing = error("-e", "git_repo=" + tmp.resolve("nowhere.git"), "deploy", "demo");
        assertEquals(true, missing.startsWith("catalogue-ops: git_repo " + tmp.resolve("nowhere.git") + " cannot be fetched: ")
                && missing.endsWith("; nothing was changed"), missing);

        Path empty = tmp.resolve("empty.git");
        run(tmp, "git", "init", "-q", "--bare", empty.toString());
        assertEquals("catalogue-ops: git_repo " + empty + " has no branch or tag (an empty repository); nothing was changed",
                error("-e", "git_repo=" + empty, "deploy", "demo"));

        Path repo = tmp.resolve("app.git");
        run(Path.of("..").toAbsolutePath().normalize(), "examples/make-app-repo", repo.toString());
        assertEquals("catalogue-ops: git_version v9 is not a branch, tag or commit of " + repo + "; nothing was changed",
                error("-e", "git_repo=" + repo, "-e", "git_version=v9", "deploy", "demo"));
        assertEquals("catalogue-ops: git_version nosuch is not a branch, tag or commit of " + repo + "; nothing was changed",
                error("-e", "git_repo=" + repo, "deploy", "demo", "--git-version", "nosuch"));
    }
}
