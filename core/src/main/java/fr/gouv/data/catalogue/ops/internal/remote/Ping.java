package fr.gouv.data.catalogue.ops.internal.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code ansible web -m ping}, done right: every host in parallel, the round trip of a command. */
public final class Ping {
    /** One host's answer: pong with the round-trip time, or why not. */
    public record Result(String host, boolean ok, Duration roundTrip, RemoteException.Reason reason, String error) {
        /** The console line: {@code host: pong (12 ms)} or {@code host: FAILED (reason) detail}, hints naming {@code envName}. */
        public String line(String envName) {
            if (ok) {
                return host + ": pong (" + roundTrip.toMillis() + " ms)";
            }
            return host + ": FAILED (" + reason.name().toLowerCase().replace('_', ' ') + ") " + detail(envName);
        }

        /** The error without the host name the line already starts with, and with the real ENV in hints. */
        String detail(String envName) {
            String detail = error.replace("hosts trust ENV", "hosts trust " + envName);
            String prefix = host + " (";
            if (detail.startsWith(prefix) && detail.indexOf("): ") > 0) {
                return "at " + detail.substring(prefix.length()).replaceFirst("\\): ", ": ");
            }
            return detail.startsWith(host + ": ") ? detail.substring(host.length() + 2) : detail;
        }
    }

    private Ping() {
    }

    public static List<Result> all(List<ConnectionSettings> hosts, int forks) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(forks, hosts.size())));
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (ConnectionSettings s : hosts) {
                futures.add(pool.submit(() -> one(s)));
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (InterruptedException e) {
                    // the rest are not waited for: each says the ping was aborted, not that its host failed
                    Thread.currentThread().interrupt();
                    results.add(new Result(hosts.get(i).host(), false, Duration.ZERO, RemoteException.Reason.ABORTED,
                            hosts.get(i).host() + ": the ping was aborted"));
                } catch (Exception e) {
                    results.add(new Result(hosts.get(i).host(), false, Duration.ZERO, RemoteException.Reason.IO, String.valueOf(e)));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static Result one(ConnectionSettings s) {
        try (SshRemote remote = SshRemote.connect(s)) {
            long start = System.nanoTime();
            ExecResult r = remote.exec(Command.of("echo", "pong").withTimeout(s.connectTimeout()));
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            if (r.ok() && r.stdout().strip().equals("pong")) {
                return new Result(s.host(), true, rtt, null, null);
            }
            return new Result(s.host(), false, rtt, RemoteException.Reason.IO, s.host() + ": unexpected answer "
                    + r.stdout().strip() + r.stderr().strip());
        } catch (RemoteException e) {
            return new Result(s.host(), false, Duration.ZERO, e.reason(), e.getMessage());
        }
    }
}
