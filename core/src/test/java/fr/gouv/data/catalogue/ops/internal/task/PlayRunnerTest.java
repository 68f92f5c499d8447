package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's contract with in-memory hosts: apply, then nothing; check mode; handlers; failures; selection. */
class PlayRunnerTest {
    /** Each host's state: key -> value, changed only by tasks' actions. */
    final Map<String, Map<String, String>> hosts = new ConcurrentHashMap<>();
    final AtomicInteger reloads = new AtomicInteger();

    /** A host with no commands at all: the tasks here use the state map. */
    static Remote fake(String name) {
        return new Remote() {
            public String host() {
                return name;
            }

            public ExecResult exec(Command command, OutputListener listener) {
                throw new AssertionError("no command expected");
            }

            public void upload(byte[] content, String path, String mode, String owner, String becomeUser) {
                throw new AssertionError("no upload expected");
            }

            public byte[] download(String path) {
                throw new AssertionError("no download expected");
            }

            public void close() {
            }
        };
    }

    Task set(String key, String value, String... notifies) {
        return new Task() {
            public String name() {
                return key + "=" + value;
            }

            public List<String> notifies() {
                return List.of(notifies);
            }

            public Set<String> tags() {
                return Set.of(key);
            }

            public Change plan(HostContext host) {
                Map<String, String> state = hosts.computeIfAbsent(host.host(), h -> new ConcurrentHashMap<>());
                if (value.equals(state.get(key))) {
                    return Change.none();
                }
                return Change.of("set " + key, "-" + state.get(key) + "\n+" + value + "\n", h -> state.put(key, value));
            }
        };
    }

    Task failing(String onHost) {
        return new Task() {
            public String name() {
                return "fails on " + onHost;
            }

            public Change plan(HostContext host) throws TaskFailure {
                if (host.host().equals(onHost)) {
                    throw new TaskFailure("broken on purpose");
                }
                return Change.none();
            }
        };
    }

    Play play(Task... tasks) {
        Play.Builder b = Play.named("test");
        for (Task t : tasks) {
            b.task(t);
        }
        return b.handler("reload", new Task() {
            public String name() {
                return "reload";
            }

            public Change plan(HostContext host) {
                return Change.of("reload", h -> reloads.incrementAndGet());
            }
        }).build();
    }

    static List<PlayRunner.Target> targets(String... names) {
        List<PlayRunner.Target> t = new ArrayList<>();
        for (String n : names) {
            t.add(new PlayRunner.Target(n, () -> fake(n), null));
        }
        return t;
    }

    @Test
    void firstRunChangesSecondRunChangesNothing() throws Exception {
        Play p = play(set("a", "1", "reload"), set("b", "2", "reload"));
        PlayRecap first = PlayRunner.run(p, targets("h1", "h2"), PlayRunner.Options.defaults(), RunListener.NONE);
        assertTrue(first.succeeded());
        assertEquals(new PlayRecap.Counts(0, 3, 0, 0, false), first.hosts().get("h1"), "two tasks and the handler, once");
        assertEquals(2, reloads.get(), "the handler ran once per host though notified twice");
        assertEquals("-null\n+1\n", first.results().stream().filter(r -> r.task().equals("a=1")).findFirst().get().diff());
        PlayRecap second = PlayRunner.run(p, targets("h1", "h2"), PlayRunner.Options.defaults(), RunListener.NONE);
        assertEquals(new PlayRecap.Counts(2, 0, 0, 0, false), second.hosts().get("h2"));
        assertEquals(2, reloads.get(), "nothing changed, no handler");
    }

    @Test
    void checkModeReportsAndAppliesNothing() throws Exception {
        PlayRecap check = PlayRunner.run(play(set("a", "1", "reload")), targets("h1"),
                PlayRunner.Options.defaults().withCheck(true), RunListener.NONE);
        assertEquals(2, check.total(TaskStatus.CHANGED));
        assertTrue(check.results().get(0).message().startsWith("would: set a"), check.results().get(0).message());
        assertFalse(hosts.containsKey("h1") && hosts.get("h1").containsKey("a"), "state untouched");
        assertEquals(0, reloads.get());
    }

    @Test
    void aFailedHostStopsAloneAndTheOthersFinish() throws Exception {
        List<TaskResult> seen = Collections.synchronizedList(new ArrayList<>());
        PlayRecap recap = PlayRunner.run(play(set("a", "1", "reload"), failing("h2"), set("b", "2")), targets("h1", "h2", "h3"),
                PlayRunner.Options.defaults(), seen::add);
        assertFalse(recap.succeeded());
        assertEquals(new PlayRecap.Counts(0, 1, 1, 0, false), recap.hosts().get("h2"));
        assertEquals(new PlayRecap.Counts(1, 3, 0, 0, false), recap.hosts().get("h1"));
        assertFalse(hosts.get("h2").containsKey("b"), "h2 stopped at its failure");
        assertEquals(2, reloads.get(), "a failed host runs no handler");
        assertTrue(seen.stream().anyMatch(r -> r.host().equals("h2") && r.status() == TaskStatus.FAILED
                && r.message().equals("broken on purpose")));
    }

    /** A task that throws what {@code failure} makes, on every host. */
    static Task throwing(String name, java.util.function.Supplier<fr.gouv.data.catalogue.ops.OpsException> failure) {
        return new Task() {
            public String name() {
                return name;
            }

            public Change plan(HostContext host) throws fr.gouv.data.catalogue.ops.OpsException {
                throw failure.get();
            }
        };
    }

    @Test
    void anAbortIsReportedAbortedNotFailedWhetherTheConnectionOrTheTaskSaysSo() throws Exception {
        Play byConnection = play(set("a", "1"), throwing("apt", () -> new RemoteException(RemoteException.Reason.ABORTED,
                "h1: the run was aborted during `apt-get update`; its session is closed")), set("b", "2"));
        PlayRecap recap = PlayRunner.run(byConnection, targets("h1"), PlayRunner.Options.defaults(), RunListener.NONE);
        assertEquals(new PlayRecap.Counts(0, 1, 0, 0, 1, false), recap.hosts().get("h1"), "aborted, the rest not started");
        assertFalse(recap.succeeded());
        assertEquals(TaskStatus.ABORTED, recap.results().get(1).status());
        assertEquals(Map.of("a", "1"), hosts.get("h1"));
        assertEquals(List.of(1, 0, List.of("h1 | apt: h1: the run was aborted during `apt-get update`; its session is closed")),
                List.of(ConsoleReport.summary(recap, false).get("aborted"), ConsoleReport.summary(recap, false).get("failed"),
                        ConsoleReport.summary(recap, false).get("failures")), "the summary names the abort apart from failures");

        Play byTask = play(throwing("wait", () -> TaskFailure.aborted("the run was aborted while waiting")));
        assertEquals(TaskStatus.ABORTED, PlayRunner.run(byTask, targets("h2"), PlayRunner.Options.defaults(), RunListener.NONE)
                .results().get(0).status());
        Play other = play(throwing("io", () -> new RemoteException(RemoteException.Reason.IO, "h3: cannot read /x")));
        assertEquals(TaskStatus.FAILED, PlayRunner.run(other, targets("h3"), PlayRunner.Options.defaults(), RunListener.NONE)
                .results().get(0).status(), "any other failure stays a failure");
    }

    @Test
    void aTaskAfterTheAbortIsNotStartedAndSaysSo() throws Exception {
        Task interrupting = new Task() {
            public String name() {
                return "interrupted";
            }

            public Change plan(HostContext host) {
                // what an abort does to a host's thread: the runner sees it before the next task
                Thread.currentThread().interrupt();
                return Change.none();
            }
        };
        PlayRecap recap = PlayRunner.run(play(interrupting, set("a", "1")), targets("h1"), PlayRunner.Options.defaults(),
                RunListener.NONE);
        TaskResult next = recap.results().get(1);
        assertEquals(List.of(TaskStatus.ABORTED, "a=1", "stopped: the run was aborted before this task"),
                List.of(next.status(), next.task(), next.message()));
        assertEquals(new PlayRecap.Counts(1, 0, 0, 0, 1, false), recap.hosts().get("h1"));
        assertFalse(hosts.containsKey("h1"), "the task after the abort did nothing");
    }

    @Test
    void unreachableHostIsReportedAndTheOthersRun() throws Exception {
        List<PlayRunner.Target> t = new ArrayList<>(targets("h1"));
        t.add(new PlayRunner.Target("down", () -> {
            throw new RemoteException(RemoteException.Reason.TIMEOUT, "down (10.0.0.9:22): no answer within 10 s");
        }, null));
        PlayRecap recap = PlayRunner.run(play(set("a", "1")), t, PlayRunner.Options.defaults(), RunListener.NONE);
        assertTrue(recap.hosts().get("down").unreachable());
        assertTrue(recap.hosts().get("h1").succeeded());
        assertEquals("connect", recap.results().stream().filter(r -> r.host().equals("down")).findFirst().get().task());
    }

    @Test
    void limitTagsAndSerialBatches() throws Exception {
        PlayRunner.Options only = new PlayRunner.Options(false, 1, 1, Set.of("h2"), Set.of("b"));
        PlayRecap recap = PlayRunner.run(play(set("a", "1"), set("b", "2")), targets("h1", "h2", "h3"), only, RunListener.NONE);
        assertEquals(Set.of("h2"), recap.hosts().keySet());
        assertEquals(Map.of("b", "2"), hosts.get("h2"), "only the tagged task ran");
        assertThrows(IllegalArgumentException.class, () -> new PlayRunner.Options(false, 0, 0, Set.of(), Set.of()));
        PlayRecap batches = PlayRunner.run(play(set("a", "1")), targets("h1", "h2", "h3"),
                new PlayRunner.Options(false, 4, 2, Set.of(), Set.of()), RunListener.NONE);
        assertEquals(List.of("h1", "h2", "h3"), List.copyOf(batches.hosts().keySet()));
        assertTrue(batches.succeeded());
    }

    @Test
    void notifyingAnUnknownHandlerIsRefusedWhenThePlayIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Play.named("p").task(set("a", "1", "nope")).build());
        assertEquals("task 'a=1' notifies unknown handler 'nope'", e.getMessage());
    }
}
