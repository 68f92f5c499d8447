package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.Ping;
import fr.gouv.data.catalogue.ops.report.PingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Connects to every web host of an environment in parallel and runs a command: the round trip, or
 * why not (DNS, refused, timeout, auth, host key). Made by {@link CatalogueOps#ping(String)}.
 */
public final class PingCommand {
    private final CatalogueOps ops;
    private final String environment;
    private Duration timeout = Duration.ofSeconds(10);
    private int forks = 10;

    PingCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * The time limit to connect, and for the command.
     *
     * @param timeout at least a second (default 10 s)
     * @return this
     */
    public PingCommand timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * How many hosts are pinged at once.
     *
     * @param forks at least 1 (default 10)
     * @return this
     */
    public PingCommand forks(int forks) {
        this.forks = forks;
        return this;
    }

    /**
     * Pings every web host.
     *
     * @return one answer per host; a host that fails does not throw
     * @throws ConfigException a bad timeout or forks, an unknown environment
     * @throws OpsException the environment's files cannot be read
     */
    public PingResult call() throws OpsException {
        if (timeout == null || timeout.compareTo(Duration.ofSeconds(1)) < 0 || forks < 1) {
            throw new ConfigException("timeout must be at least 1 second and forks at least 1");
        }
        List<ConnectionSettings> hosts = new ArrayList<>();
        for (ConnectionSettings s : ops.access().webHosts(ops.load(environment))) {
            hosts.add(s.withConnectTimeout(timeout));
        }
        return new PingResult(Ping.all(hosts, forks));
    }
}
