package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.OpsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One call per host (an SSH handshake, a probe) on threads of their own, at most {@link #LIMIT} at
 * once, the outcomes in the hosts' order: a fleet's connections and state reads overlap instead of
 * adding up.
 */
final class FanOut {
    /**
     * At most this many calls at once: each SSH handshake costs this machine a key exchange, and an
     * sshd (or a bastion in front of the hosts) drops unauthenticated connections beyond its
     * MaxStartups, 10 by default.
     */
    static final int LIMIT = 10;

    private FanOut() {
    }

    @FunctionalInterface
    interface Call<T, R> {
        R call(T item) throws OpsException;
    }

    /** What one call gave: its value, or the exception it ended with (an {@link OpsException} or a runtime one). */
    record Outcome<R>(R value, Exception failure) {
        R get() throws OpsException {
            if (failure instanceof OpsException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return value;
        }
    }

    /**
     * Runs {@code call} for every item and waits for all of them. Interrupted meanwhile: stops
     * waiting for calls not begun, waits for those running, hands each value already made to
     * {@code abandon} (a connection to close) and throws.
     */
    static <T, R> List<Outcome<R>> each(List<T> items, Call<T, R> call, Consumer<R> abandon) throws InterruptedException {
        if (items.size() <= 1) {
            return items.isEmpty() ? List.of() : List.of(run(call, items.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(LIMIT, items.size()), r -> {
            Thread t = new Thread(r, "catalogue-ops-hosts");
            t.setDaemon(true);
            return t;
        });
        List<Future<Outcome<R>>> running = new ArrayList<>();
        for (T item : items) {
            running.add(pool.submit(() -> run(call, item)));
        }
        pool.shutdown();
        List<Outcome<R>> outcomes = new ArrayList<>();
        try {
            for (Future<Outcome<R>> f : running) {
                outcomes.add(f.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            pool.shutdownNow();
            boolean ended = false;
            while (!ended) {
                try {
                    ended = pool.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException again) {
                    // keep waiting: a connection opened meanwhile must be closed below
                }
            }
            for (Future<Outcome<R>> f : running) {
                if (f.isDone() && !f.isCancelled()) {
                    try {
                        R value = f.get().value();
                        if (value != null) {
                            abandon.accept(value);
                        }
                    } catch (ExecutionException | InterruptedException ignored) {
                        // nothing was made
                    }
                }
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a host's call failed unexpectedly", e.getCause());
        }
    }

    private static <T, R> Outcome<R> run(Call<T, R> call, T item) {
        try {
            return new Outcome<>(call.call(item), null);
        } catch (OpsException | RuntimeException e) {
            return new Outcome<>(null, e);
        }
    }
}
