package fr.gouv.data.catalogue.ops.cli;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.StagingCommands;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.report.StagingSyncReport;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code staging}: the staging branch workflow (make ops-staging, make ops-staging-sync). */
@Command(name = "staging", mixinStandardHelpOptions = true,
        description = "Merge a branch into staging, or recreate staging from master.",
        subcommands = {StagingCommand.Merge.class, StagingCommand.Sync.class})
final class StagingCommand implements Runnable {
    @ParentCommand
    CatalogueOpsCommand root;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, root.session.out());
    }

    abstract static class Common {
        @ParentCommand
        StagingCommand parent;

        @Option(names = "--repo", paramLabel = "DIR", description = "The git clone (default: the current directory).")
        String repo;

        @Option(names = "--remote", paramLabel = "NAME", defaultValue = StagingCommands.DEFAULT_REMOTE,
                description = "The remote (default: ${DEFAULT-VALUE}).")
        String remote;

        @Option(names = "--push", description = "Push staging to the remote afterwards.")
        boolean push;

        @Option(names = "--ssh-dir", paramLabel = "DIR",
                description = "SSH keys, known_hosts and config for the remote (default: ~/.ssh and the SSH agent).")
        String sshDir;

        StagingCommands open() throws OpsException {
            Session s = parent.root.session;
            StagingCommands staging = parent.root.ops().staging(repo == null ? s.cwd() : s.resolve(repo)).remote(remote);
            return sshDir == null ? staging : staging.sshDirectory(s.resolve(sshDir));
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Fetch, bring staging up to date (fast-forward only), merge the current branch (or --branch)"
                    + " into it without touching your working tree, optionally push.")
    static final class Merge extends Common implements Callable<Integer> {
        @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch to merge (default: the current one).")
        String branch;

        @Override
        public Integer call() throws OpsException {
            PrintStream out = parent.root.session.out();
            StagingMergeReport r = open().merge().branch(branch).push(push).call();
            r.lines(remote, push, "not pushed; push with: git push " + remote + " staging (or run again with --push)")
                    .forEach(out::println);
            return Main.OK;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Recreate staging from the remote's master; list what staging loses; --push force-pushes"
                    + " with a lease (refused if the remote moved since the fetch).")
    static final class Sync extends Common implements Callable<Integer> {
        @Option(names = "--from", paramLabel = "BRANCH", defaultValue = "master",
                description = "The branch to recreate staging from (default: ${DEFAULT-VALUE}).")
        String from;

        @Override
        public Integer call() throws OpsException {
            PrintStream out = parent.root.session.out();
            StagingSyncReport r = open().sync().from(from).push(push).call();
            r.lines(remote, push, "merge them again with: catalogue-ops staging merge --branch NAME",
                    "not pushed; run again with --push to replace " + remote + "/staging").forEach(out::println);
            return Main.OK;
        }
    }
}
