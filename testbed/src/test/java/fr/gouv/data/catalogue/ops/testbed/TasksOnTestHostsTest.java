package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.internal.task.Absent;
import fr.gouv.data.catalogue.ops.internal.task.AptCache;
import fr.gouv.data.catalogue.ops.internal.task.CommandOnce;
import fr.gouv.data.catalogue.ops.internal.task.CronEntry;
import fr.gouv.data.catalogue.ops.internal.task.Directory;
import fr.gouv.data.catalogue.ops.internal.task.FileContent;
import fr.gouv.data.catalogue.ops.internal.task.Packages;
import fr.gouv.data.catalogue.ops.internal.task.Play;
import fr.gouv.data.catalogue.ops.internal.task.PlayRunner;
import fr.gouv.data.catalogue.ops.internal.task.Service;
import fr.gouv.data.catalogue.ops.internal.task.ServiceAction;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in task on real test hosts, as Ansible's own module tests do: check mode first (the
 * host is left untouched), then applied (CHANGED), then again (OK). The second host logs in as
 * 'deploy' and escalates with sudo.
 */
@Testbed(hosts = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TasksOnTestHostsTest {
    static List<PlayRunner.Target> targets(TestHosts hosts) {
        return List.of(target(hosts, hosts.host(0), "root", null), target(hosts, hosts.host(1), "deploy", "root"));
    }

    static PlayRunner.Target target(TestHosts hosts, TestHost h, String user, String become) {
        ConnectionSettings s = ConnectionSettings.of(h.name(), user, List.of(hosts.privateKey()), List.of(hosts.knownHosts()))
                .withAddress(h.address(), TestHost.SSH_PORT);
        return new PlayRunner.Target(h.name(), () -> SshRemote.connect(s), become);
    }

    static Play play() {
        return Play.named("tasks")
                .task(new AptCache(Duration.ofHours(1), Set.of()))
                .task(Packages.of("cron", "tree"))
                .task(Directory.of("/srv/tasks/conf", "0750", "www-data:www-data"))
                .task(FileContent.of("config", "/srv/tasks/conf/app.conf", "port = 3579\nname = catalogue\n", "0640",
                        "root:www-data").notifying("reload cron"))
                .task(FileContent.of("secret", "/srv/tasks/.env", "APP_SECRET_KEY='s3cr3t'\n", "0600", "root:root").secret())
                .task(Absent.of("/etc/cron.d/e2scrub_all"))
                .task(Service.of("cron"))
                .task(new CronEntry("certs_renewal", "@weekly", "certbot renew -q", "root", Set.of()))
                .task(new CommandOnce("marker", List.of("sh", "-c", "date > /srv/tasks/marker"), "/srv/tasks/marker",
                        Set.of(), List.of()))
                .handler("reload cron", ServiceAction.reload("cron"))
                .build();
    }

    static PlayRecap run(TestHosts hosts, boolean check) throws Exception {
        return PlayRunner.run(play(), targets(hosts), PlayRunner.Options.defaults().withCheck(check), RunListener.NONE);
    }

    @Test
    @Order(1)
    void checkModeListsChangesAndTouchesNothing(TestHosts hosts) throws Exception {
        PlayRecap check = run(hosts, true);
        assertTrue(check.succeeded(), check.results().toString());
        for (TestHost h : hosts.hosts()) {
            assertFalse(Files.exists(h.root().resolve("srv/tasks")), "check mode created nothing on " + h.name());
            assertFalse(Files.exists(h.root().resolve("usr/bin/tree")));
            assertTrue(Files.exists(h.root().resolve("etc/cron.d/e2scrub_all")));
        }
        TaskResult config = find(check, hosts.host(0).name(), "config");
        assertEquals(TaskStatus.CHANGED, config.status());
        assertTrue(config.message().startsWith("would: create /srv/tasks/conf/app.conf"), config.message());
        assertTrue(config.diff().contains("+port = 3579\n"), config.diff());
        assertTrue(find(check, hosts.host(0).name(), "secret").diff().contains("content not shown"),
                "a secret file's content never reaches a diff");
    }

    @Test
    @Order(2)
    void firstRunChangesSecondRunChangesNothing(TestHosts hosts) throws Exception {
        PlayRecap first = run(hosts, false);
        assertTrue(first.succeeded(), first.results().toString());
        for (TestHost h : hosts.hosts()) {
            for (TaskResult r : first.results()) {
                if (r.host().equals(h.name()) && !r.task().equals("apt cache")) {
                    assertEquals(TaskStatus.CHANGED, r.status(), h.name() + ": " + r);
                }
            }
            Path root = h.root();
            assertEquals("port = 3579\nname = catalogue\n", Files.readString(root.resolve("srv/tasks/conf/app.conf")));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(root.resolve("srv/tasks/.env"))));
            assertTrue(Files.exists(root.resolve("usr/bin/tree")));
            assertFalse(Files.exists(root.resolve("etc/cron.d/e2scrub_all")));
            assertEquals(TaskStatus.CHANGED, find(first, h.name(), "reload cron").status(), "the handler ran");
        }
        PlayRecap second = run(hosts, false);
        for (TestHost h : hosts.hosts()) {
            assertEquals(new PlayRecap.Counts(9, 0, 0, 0, false), second.hosts().get(h.name()),
                    h.name() + ": " + second.results());
        }
        // a run that changes nothing costs one command: every probe in one batch
        AtomicInteger commands = new AtomicInteger();
        TestHost h = hosts.host(0);
        ConnectionSettings s = ConnectionSettings.of(h.name(), "root", List.of(hosts.privateKey()), List.of(hosts.knownHosts()))
                .withAddress(h.address(), TestHost.SSH_PORT);
        PlayRunner.Target counted = new PlayRunner.Target(h.name(), () -> counting(SshRemote.connect(s), commands), null);
        PlayRecap third = PlayRunner.run(play(), List.of(counted), PlayRunner.Options.defaults(), RunListener.NONE);
        assertEquals(0, third.total(TaskStatus.CHANGED), third.results().toString());
        assertEquals(1, commands.get(), "commands sent for a no-op run");
    }

    @Test
    @Order(3)
    void driftIsRepairedAndDiffed(TestHosts hosts) throws Exception {
        TestHost h = hosts.host(0);
        Files.writeString(h.root().resolve("srv/tasks/conf/app.conf"), "port = 8080\nname = catalogue\n");
        PlayRecap repair = run(hosts, false);
        TaskResult config = find(repair, h.name(), "config");
        assertEquals(TaskStatus.CHANGED, config.status());
        assertEquals("--- a/srv/tasks/conf/app.conf\n+++ b/srv/tasks/conf/app.conf\n@@ -1,2 +1,2 @@\n-port = 8080\n+port = 3579\n"
                + " name = catalogue\n", config.diff());
        assertEquals(2, repair.hosts().get(h.name()).changed(), "the file, then its handler");
    }

    @Test
    @Order(4)
    void aMissingPackageNameFailsThatHostOnly(TestHosts hosts) throws Exception {
        Play broken = Play.named("broken").task(Packages.of("no-such-package-catops")).build();
        PlayRecap recap = PlayRunner.run(broken, List.of(targets(hosts).get(0)), PlayRunner.Options.defaults(), RunListener.NONE);
        TaskResult r = recap.results().get(0);
        assertEquals(TaskStatus.FAILED, r.status());
        assertEquals("package 'no-such-package-catops' is not known to apt on this host; check its name (and the host's apt"
                + " sources, or run apt-get update)", r.message());
    }

    @Test
    @Order(5)
    void aHeldAptLockIsWaitedForThenFailsWithWhatToDo(TestHosts hosts) throws Exception {
        // dpkg's lock is an fcntl lock: hold it from the host itself, as a running apt would
        TaskResult r = runWhileHeld(hosts, "/var/lib/dpkg/lock-frontend", 20, Packages.of("jq").withLockWait(3));
        assertEquals(TaskStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("apt-get install jq failed: ") && r.message().contains("lock")
                && r.message().endsWith("(another apt or dpkg holds the lock; wait for it and run again)"), r.message());
        // apt-get update gives up on the lists' lock at once: the task waits for it (an aborted run's
        // update may still be finishing), then says what to do
        AptCache always = new AptCache(Duration.ZERO, Set.of(), Duration.ofSeconds(3));
        TaskResult held = runWhileHeld(hosts, "/var/lib/apt/lists/lock", 20, always);
        assertEquals(TaskStatus.FAILED, held.status());
        assertTrue(held.message().startsWith("apt-get update failed (exit 100): E: Unable to lock directory /var/lib/apt/lists/")
                && held.message().endsWith("(another apt has held the lock for 3 s; wait for it and run again)"), held.message());
        assertTrue(held.duration().toMillis() >= 3000, "it waited the whole 3 s before giving up: " + held.duration());
        TaskResult released = runWhileHeld(hosts, "/var/lib/apt/lists/lock", 8,
                new AptCache(Duration.ZERO, Set.of(), Duration.ofSeconds(60)));
        assertEquals(TaskStatus.CHANGED, released.status(), released.message());
        assertTrue(released.duration().toMillis() >= 2000, "it waited for the lock: " + released.duration());
    }

    /** Runs a task on the first host while a process there holds an fcntl lock (for {@code seconds} at most). */
    private static TaskResult runWhileHeld(TestHosts hosts, String lock, int seconds, Task task) throws Exception {
        TestHost h = hosts.host(0);
        // held until the time is up or the ssh client goes (its stdin closes), so none lingers after
        Process holder = new ProcessBuilder(hosts.sshArgv(h, "root",
                "python3 -c \"import fcntl,select,sys; f=open('" + lock + "','w'); fcntl.lockf(f, fcntl.LOCK_EX);"
                        + " print('held', flush=True); select.select([sys.stdin], [], [], " + seconds + ")\""))
                .redirectErrorStream(true).start();
        try {
            assertEquals("held\n", new String(holder.getInputStream().readNBytes(5), java.nio.charset.StandardCharsets.UTF_8));
            Play play = Play.named("locked").task(task).build();
            return PlayRunner.run(play, List.of(targets(hosts).get(0)), PlayRunner.Options.defaults(), RunListener.NONE)
                    .results().get(0);
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    @Order(6)
    void aHostCutOffInTheMiddleOfATaskFailsAloneAndClearly(TestHosts hosts) throws Exception {
        TestHost cut = hosts.host(1);
        Path marker = cut.root().resolve("tmp/cut-me-now");
        Files.deleteIfExists(marker);
        // a long command; once it runs on the second host, that host's network goes away
        Play play = Play.named("cut")
                .task(new CommandOnce("long command", List.of("sh", "-c", "touch /tmp/cut-me-now; sleep 30; touch /srv/tasks/long"),
                        "/srv/tasks/long", Set.of(), List.of()))
                .task(FileContent.of("after", "/srv/tasks/after", "done\n", "0644", "root:root"))
                .build();
        Thread cutter = new Thread(() -> {
            try {
                for (int i = 0; i < 600 && !Files.exists(marker); i++) {
                    Thread.sleep(50);
                }
                hosts.partition(cut);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        cutter.start();
        PlayRecap recap;
        try {
            recap = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> PlayRunner.run(play, targets(hosts),
                    PlayRunner.Options.defaults(), RunListener.NONE), "a lost host must not hang the run");
        } finally {
            cutter.join();
            hosts.heal(cut);
        }
        TaskResult lost = find(recap, cut.name(), "long command");
        assertEquals(TaskStatus.FAILED, lost.status(), lost.toString());
        assertTrue(lost.message().startsWith(cut.name() + ": connection lost") && lost.message().contains("no answer"),
                lost.message());
        assertFalse(recap.results().stream().anyMatch(r -> r.host().equals(cut.name()) && r.task().equals("after")),
                "the cut host stops there");
        assertEquals(TaskStatus.CHANGED, find(recap, hosts.host(0).name(), "after").status(), "the other host finishes");
        assertTrue(recap.hosts().get(cut.name()).unreachable(), recap.hosts().toString());
    }

    static TaskResult find(PlayRecap recap, String host, String task) {
        return recap.results().stream().filter(r -> r.host().equals(host) && r.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + task + " on " + host + ": " + recap.results()));
    }

    static Remote counting(Remote inner, AtomicInteger commands) {
        return new Remote() {
            public String host() {
                return inner.host();
            }

            public ExecResult exec(Command command, OutputListener listener) throws RemoteException {
                commands.incrementAndGet();
                return inner.exec(command, listener);
            }

            public void upload(byte[] content, String path, String mode, String owner, String becomeUser) throws RemoteException {
                inner.upload(content, path, mode, owner, becomeUser);
            }

            public byte[] download(String path) throws RemoteException {
                return inner.download(path);
            }

            public void close() {
                inner.close();
            }
        };
    }
}
