package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a play over hosts: up to {@code forks} hosts at once, optionally in serial batches; a host
 * that fails stops there and the others go on; handlers run once at the end of a host's play when
 * a task notified them. In check mode nothing is applied: changes are reported as they would be.
 */
public final class PlayRunner {
    /** Where and how to run. {@code serial} 0 runs every host in one batch; empty {@code tags} selects every task. */
    public record Options(boolean check, int forks, int serial, Set<String> limit, Set<String> tags) {
        public Options {
            if (forks < 1 || serial < 0) {
                throw new IllegalArgumentException("forks must be at least 1 and serial 0 or more");
            }
            limit = Set.copyOf(limit);
            tags = Set.copyOf(tags);
        }

        public static Options defaults() {
            return new Options(false, 10, 0, Set.of(), Set.of());
        }

        public Options withCheck(boolean c) {
            return new Options(c, forks, serial, limit, tags);
        }
    }

    /** How to reach one host, and its variables for templates and conditions (may be null). */
    public record Target(String host, Connector connector, String becomeUser, HostVariables variables) {
        public Target(String host, Connector connector, String becomeUser) {
            this(host, connector, becomeUser, null);
        }
    }

    @FunctionalInterface
    public interface Connector {
        Remote connect() throws RemoteException;
    }

    /** The name of the threads that run hosts, numbered from 1. */
    public static final String HOST_THREAD = "catalogue-ops-host-";

    private PlayRunner() {
    }

    public static PlayRecap run(Play play, List<Target> targets, Options options, RunListener listener)
            throws InterruptedException {
        long start = System.nanoTime();
        List<Target> selected = targets.stream().filter(t -> options.limit().isEmpty() || options.limit().contains(t.host()))
                .toList();
        List<TaskResult> results = Collections.synchronizedList(new ArrayList<>());
        RunListener recording = r -> {
            results.add(r);
            listener.taskEnded(r);
        };
        Map<String, PlayRecap.Counts> counts = Collections.synchronizedMap(new LinkedHashMap<>());
        int batchSize = options.serial() == 0 ? Math.max(1, selected.size()) : options.serial();
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.forks(), batchSize)),
                r -> new Thread(r, HOST_THREAD + threads.incrementAndGet()));
        try {
            for (int from = 0; from < selected.size(); from += batchSize) {
                List<Future<?>> running = new ArrayList<>();
                for (Target t : selected.subList(from, Math.min(selected.size(), from + batchSize))) {
                    running.add(pool.submit(() -> counts.put(t.host(), runHost(play, t, options, recording))));
                }
                for (Future<?> f : running) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException("a host's run failed unexpectedly", e.getCause());
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            awaitHosts(pool);
        }
        Map<String, PlayRecap.Counts> ordered = new LinkedHashMap<>();
        for (Target t : selected) {
            ordered.put(t.host(), counts.get(t.host()));
        }
        return new PlayRecap(List.copyOf(results), ordered, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Waits for the hosts' threads to end (an abort interrupts them; each stops after its current
     * command), so that nothing still works on a host when the run returns.
     */
    private static void awaitHosts(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every selected task's probes in one command; a task whose probes cannot be listed probes on its own. */
    private static void prefetch(Play play, Options options, HostContext host) {
        List<fr.gouv.data.catalogue.ops.internal.remote.Command> probes = new ArrayList<>();
        for (Task task : play.tasks()) {
            if (selected(task, options.tags())) {
                try {
                    probes.addAll(task.probes(host));
                } catch (OpsException | RuntimeException e) {
                    // the task will meet the same problem in plan() and report it there
                }
            }
        }
        try {
            host.prefetch(probes);
        } catch (RemoteException e) {
            // the tasks probe one by one and report the connection's failure themselves
        }
    }

    /** Whether {@code --tags} selects a task: no tags asked, or a tag in common. */
    static boolean selected(Task task, Set<String> tags) {
        return tags.isEmpty() || task.tags().stream().anyMatch(tags::contains);
    }

    static PlayRecap.Counts runHost(Play play, Target target, Options options, RunListener listener) {
        int[] c = new int[TaskStatus.values().length];
        Remote remote;
        long connectStart = System.nanoTime();
        try {
            remote = target.connector().connect();
        } catch (RemoteException e) {
            listener.taskEnded(new TaskResult(target.host(), "connect", TaskStatus.FAILED, e.getMessage(), "",
                    Duration.ofNanos(System.nanoTime() - connectStart), false));
            return new PlayRecap.Counts(0, 0, 1, 0, true);
        }
        try (remote) {
            HostContext host = new HostContext(remote, target.becomeUser(), target.variables());
            prefetch(play, options, host);
            Set<String> notified = new LinkedHashSet<>();
            for (Task task : play.tasks()) {
                if (!selected(task, options.tags())) {
                    continue;
                }
                if (Thread.currentThread().isInterrupted()) {
                    listener.taskEnded(new TaskResult(target.host(), task.name(), TaskStatus.ABORTED,
                            "stopped: the run was aborted before this task", "", Duration.ZERO, false));
                    count(c, TaskStatus.ABORTED);
                    return counts(c, false);
                }
                TaskResult r = runTask(task, host, false, options.check());
                listener.taskEnded(r);
                count(c, r.status());
                if (r.status() != TaskStatus.OK && r.status() != TaskStatus.SKIPPED && !options.check()) {
                    host.changed();
                }
                if (r.status() == TaskStatus.FAILED || r.status() == TaskStatus.ABORTED) {
                    return counts(c, host.isLost());
                }
                if (r.status() == TaskStatus.CHANGED) {
                    notified.addAll(task.notifies());
                }
            }
            for (String name : play.handlerOrder()) {
                if (notified.contains(name)) {
                    TaskResult r = runTask(play.handler(name), host, true, options.check());
                    listener.taskEnded(r);
                    count(c, r.status());
                    if (r.status() == TaskStatus.FAILED || r.status() == TaskStatus.ABORTED) {
                        return counts(c, host.isLost());
                    }
                }
            }
            return counts(c, false);
        }
    }

    /**
     * Plans the task, then applies its change unless in check mode (handlers too: they say what
     * they would do). The play's only check-mode branch: a task plans the same in both modes.
     */
    static TaskResult runTask(Task task, HostContext host, boolean handler, boolean check) {
        long start = System.nanoTime();
        try {
            Change change = task.plan(host);
            if (change.isNone()) {
                return result(host, task, TaskStatus.OK, "", "", start, handler);
            }
            if (change.skipped()) {
                return result(host, task, TaskStatus.SKIPPED, change.summary(), "", start, handler);
            }
            if (!check) {
                change.action().apply(host);
            }
            return result(host, task, TaskStatus.CHANGED, (check ? "would: " : "") + change.summary(), change.diff(),
                    start, handler);
        } catch (OpsException e) {
            if (e instanceof RemoteException re && re.reason() == RemoteException.Reason.DISCONNECTED) {
                host.lost();
            }
            return result(host, task, aborted(e) ? TaskStatus.ABORTED : TaskStatus.FAILED, e.getMessage(), "", start, handler);
        } catch (RuntimeException e) {
            return result(host, task, TaskStatus.FAILED, "internal error: " + e, "", start, handler);
        }
    }

    /** Whether a failure is the run's abort, as the connection or the task typed it (never read from its text). */
    static boolean aborted(OpsException e) {
        return e instanceof RemoteException re ? re.reason() == RemoteException.Reason.ABORTED
                : e instanceof TaskFailure f && f.aborted();
    }

    private static TaskResult result(HostContext host, Task task, TaskStatus status, String message, String diff,
                                     long start, boolean handler) {
        return new TaskResult(host.host(), task.name(), status, message, diff, Duration.ofNanos(System.nanoTime() - start),
                handler);
    }

    private static void count(int[] c, TaskStatus s) {
        c[s.ordinal()]++;
    }

    private static PlayRecap.Counts counts(int[] c, boolean unreachable) {
        return new PlayRecap.Counts(c[TaskStatus.OK.ordinal()], c[TaskStatus.CHANGED.ordinal()],
                c[TaskStatus.FAILED.ordinal()], c[TaskStatus.SKIPPED.ordinal()], c[TaskStatus.ABORTED.ordinal()], unreachable);
    }
}
