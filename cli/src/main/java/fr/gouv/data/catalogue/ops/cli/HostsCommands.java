package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.HostKeyScan;
import fr.gouv.data.catalogue.ops.internal.remote.HostKeys;
import fr.gouv.data.catalogue.ops.internal.remote.Ping;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ping ENV} and {@code hosts trust ENV}. */
final class HostsCommands {
    private HostsCommands() {
    }

    static List<ConnectionSettings> settings(Environment env) throws OpsException {
        List<ConnectionSettings> all = new ArrayList<>();
        for (String host : env.webHosts()) {
            all.add(ConnectionSettings.from(env.variablesWithoutSecrets(host), knownHosts(env)));
        }
        return all;
    }

    static Path knownHosts(Environment env) {
        return env.dir().resolve("known_hosts");
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
            Environment env = root.environment(name);
            PrintStream out = root.session.out();
            boolean allOk = true;
            List<ConnectionSettings> hosts = new ArrayList<>();
            for (ConnectionSettings s : settings(env)) {
                hosts.add(s.withConnectTimeout(Duration.ofSeconds(timeout)));
            }
            for (Ping.Result r : Ping.all(hosts, forks)) {
                allOk &= r.ok();
                out.println(r.line(name));
            }
            return allOk ? Main.OK : Main.FAILED;
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
            Environment env = root.environment(name);
            PrintStream out = root.session.out();
            Path file = knownHosts(env);
            List<String> lines = new ArrayList<>();
            int status = Main.OK;
            for (ConnectionSettings s : settings(env)) {
                PublicKey key = HostKeyScan.scan(s);
                HostKeys check = new HostKeys(List.of(file));
                check.verify(s.address(), s.port(), key);
                String fp = HostKeys.fingerprint(key);
                switch (check.outcome()) {
                    case MATCH -> out.println(s.host() + ": already trusted " + fp);
                    case CHANGED -> {
                        out.println(s.host() + ": KEY CHANGED to " + fp + " - not recorded (possible man-in-the-middle);"
                                + " if the host was reinstalled, remove its line from " + file + " and run again");
                        status = Main.FAILED;
                    }
                    default -> {
                        out.println(s.host() + ": trusting " + fp);
                        lines.add(HostKeys.knownHostsLine(s.address(), s.port(), key));
                    }
                }
            }
            if (!lines.isEmpty()) {
                try {
                    HostKeys.record(file, lines);
                } catch (IOException e) {
                    throw new OpsException("cannot write " + file + ": " + e.getMessage());
                }
                out.println("recorded " + lines.size() + " key(s) in " + file);
            }
            return status;
        }
    }
}
