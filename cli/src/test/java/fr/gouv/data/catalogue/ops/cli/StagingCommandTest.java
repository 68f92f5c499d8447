package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testing.GitFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingCommandTest {
    @TempDir
    Path tmp;

    @Test
    void mergeThenSyncFromTheCommandLine() throws Exception {
        GitFixture git = new GitFixture(tmp);
        Path work = git.clone("work");
        git.git(work, "checkout", "-q", "-b", "feature");
        git.commit(work, "f.txt", "f\n", "Add f");
        CliRun cli = new CliRun(work).run("staging", "merge", "--push");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.startsWith("staging: merged feature (fast-forward): "), cli.out);
        assertTrue(cli.out.contains("pushed staging to origin"), cli.out);
        assertEquals(git.rev(work, "feature"), git.originRev("staging"));

        cli = new CliRun(tmp).run("staging", "sync", "--repo", "work", "--push");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("staging loses 1 commit(s):"), cli.out);
        assertTrue(cli.out.contains(" Add f\n"), cli.out);
        assertTrue(cli.out.contains("from branch(es): feature"), cli.out);
        assertEquals(git.originRev("master"), git.originRev("staging"));
    }

    @Test
    void refusalsAreOneLine() throws Exception {
        GitFixture git = new GitFixture(tmp);
        Path work = git.clone("work");
        git.git(work, "checkout", "-q", "-b", "feature");
        Files.writeString(work.resolve("README.md"), "dirty\n");
        CliRun cli = new CliRun(work).run("staging", "merge");
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("uncommitted changes (README.md)"), cli.err);
        cli = new CliRun(tmp).run("staging", "sync", "--repo", ".");
        assertEquals(2, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().contains("not inside a git repository"), cli.err);
    }
}
