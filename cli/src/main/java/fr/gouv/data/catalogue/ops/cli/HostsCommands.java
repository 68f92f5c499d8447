package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.report.HostKeyTrust;
import fr.gouv.data.catalogue.ops.report.PingResult;
import fr.gouv.data.catalogue.ops.report.TrustResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ping ENV} and {@code hosts trust ENV}. */
final class HostsCommands {
    private HostsCommands() {
    }

    @Command(name = "ping", mixinStandardHelpOptions = true,
            description = "Connect to every host of ENV in parallel and run a command: one line per host, pong and"
                    + " the round-trip time, or why not (DNS, refused, timeout, auth, host key). Exit 1 if any fails.")
    static final class PingCommand implements Callable<Integer> {
        @ParentCommand
        CatalogueOpsCommand root;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = "--forks", defaultValue = "10", description = "Hosts at once (default: ${DEFAULT-VALUE}).")
        int forks;

        @Option(names = {"-T", "--timeout"}, defaultValue = "10", paramLabel = "SECONDS",
                description = "Time limit to connect, and for the command (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Override
        public Integer call() throws OpsException {
            if (timeout < 1 || forks < 1) {
                throw new ConfigException("--timeout and --forks must be at least 1");
            }
            PingResult result = root.ops().ping(name).timeout(Duration.ofSeconds(timeout)).forks(forks).call();
            result.hosts().forEach(r -> root.session.out().println(r.line(name)));
            return result.allOk() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "hosts", mixinStandardHelpOptions = true, description = "Host keys of an environment.",
            subcommands = {Trust.class})
    static final class HostsCommand implements Runnable {
        @ParentCommand
        CatalogueOpsCommand root;

        @Override
        public void run() {
            picocli.CommandLine.usage(this, root.session.out());
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Show the host keys of ENV's hosts and record the unknown ones in ENV's known_hosts."
                    + " A changed key is never replaced: remove its line by hand if the host was reinstalled.")
    static final class Trust implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = hosts.root;
            PrintStream out = root.session.out();
            TrustResult result = root.ops().trustHosts(name).call();
            Path file = result.knownHosts();
            for (HostKeyTrust h : result.hosts()) {
                switch (h.outcome()) {
                    case ALREADY_TRUSTED -> out.println(h.host() + ": already trusted " + h.fingerprint());
                    case CHANGED -> out.println(h.host() + ": KEY CHANGED to " + h.fingerprint() + " - not recorded (possible"
                            + " man-in-the-middle); if the host was reinstalled, remove its line from " + file + " and run again");
                    case RECORDED -> out.println(h.host() + ": trusting " + h.fingerprint());
                }
            }
            if (result.recorded() > 0) {
                out.println("recorded " + result.recorded() + " key(s) in " + file);
            }
            int status = result.anyChanged() ? Main.FAILED : Main.OK;
            return status;
        }
    }
}
