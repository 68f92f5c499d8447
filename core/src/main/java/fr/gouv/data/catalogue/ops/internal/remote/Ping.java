package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.report.HostPing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code ansible web -m ping}, done right: every host in parallel, the round trip of a command. */
public final class Ping {
    private Ping() {
    }

    public static List<HostPing> all(List<ConnectionSettings> hosts, int forks) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts.size())));
        try {
            List<Future<HostPing>> futures = new ArrayList<>();
            for (ConnectionSettings s : hosts) {
                futures.add(pool.submit(() -> one(s)));
            }
            List<HostPing> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (InterruptedException e) {
                    // the rest are not waited for: each says the ping was aborted, not that its host failed
                    Thread.currentThread().interrupt();
                    results.add(new HostPing(hosts.get(i).host(), false, Duration.ZERO, RemoteException.Reason.ABORTED,
                            hosts.get(i).host() + ": the ping was aborted"));
                } catch (Exception e) {
                    results.add(new HostPing(hosts.get(i).host(), false, Duration.ZERO, RemoteException.Reason.IO, String.valueOf(e)));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static HostPing one(ConnectionSettings s) {
        try (SshRemote remote = SshRemote.connect(s)) {
            long start = System.nanoTime();
            ExecResult r = remote.exec(Command.of("echo", "pong").withTimeout(s.connectTimeout()));
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            if (r.ok() && r.stdout().strip().equals("pong")) {
                return new HostPing(s.host(), true, rtt, null, null);
            }
            return new HostPing(s.host(), false, rtt, RemoteException.Reason.IO, s.host() + ": unexpected answer "
                    + r.stdout().strip() + r.stderr().strip());
        } catch (RemoteException e) {
            return new HostPing(s.host(), false, Duration.ZERO, e.reason(), e.getMessage());
        }
    }
}
