package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSH layer against a real Debian test host. */
@Testbed(hosts = 2)
class SshRemoteTest {
    @TempDir
    Path tmp;

    static ConnectionSettings settings(TestHosts hosts, TestHost host, String user) {
        return ConnectionSettings.of(host.name(), user, List.of(hosts.privateKey()), List.of(hosts.knownHosts()))
                .withAddress(host.address(), 22);
    }

    @Test
    void runsCommandsAsRoot(TestHosts hosts) throws Exception {
        try (SshRemote remote = SshRemote.connect(settings(hosts, hosts.host(0), "root"))) {
            ExecResult r = remote.exec(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));
            assertEquals(3, r.exitCode());
            assertEquals("out\n", r.stdout());
            assertEquals("err\n", r.stderr());
            assertEquals("pong\n", remote.exec(Command.of("echo", "pong")).stdout(), "the connection is reused");
        }
    }

    @Test
    void hostileArgumentsArriveByteExact(TestHosts hosts) throws Exception {
        List<String> hostile = List.of("it's", "\"double\"", "$(touch /tmp/pwned)", "`id`", "a\nb", "tab\there", "*",
                "~", "é 日本 🙂", "-n", "", "back\\slash", "semi;colon", "&& reboot", "$HOME");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(hostile);
        try (SshRemote remote = SshRemote.connect(settings(hosts, hosts.host(0), "root"))) {
            ExecResult r = remote.exec(new Command(argv, null, null, Duration.ofSeconds(30)));
            assertEquals(String.join("\0", hostile) + "\0", r.stdout().replace("\n", "\n"));
            assertEquals(1, remote.exec(Command.of("test", "-e", "/tmp/pwned")).exitCode(), "nothing was executed");
        }
    }

    @Test
    void eachKeyTypeLogsIn(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(0);
        for (String[] type : List.of(new String[] {"ecdsa", ""}, new String[] {"rsa", ""}, new String[] {"ed25519", "s3cret phrase"})) {
            Path key = tmp.resolve("id_" + type[0]);
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type[0], "-N", type[1], "-f", key.toString()).start();
            assertEquals(0, p.waitFor());
            Files.writeString(host.root().resolve("root/.ssh/authorized_keys"), Files.readString(key.resolveSibling(key.getFileName() + ".pub")),
                    StandardOpenOption.APPEND);
            ConnectionSettings s = ConnectionSettings.of(host.name(), "root", List.of(key), List.of(hosts.knownHosts()))
                    .withAddress(host.address(), 22);
            if (!type[1].isEmpty()) {
                s = s.withKeyPassphrase(type[1].toCharArray());
            }
            try (SshRemote remote = SshRemote.connect(s)) {
                assertEquals("root\n", remote.exec(Command.of("whoami")).stdout(), type[0]);
            }
        }
    }

    @Test
    void inMemoryKeyLogsIn(TestHosts hosts) throws Exception {
        ConnectionSettings s = settings(hosts, hosts.host(0), "root").withKeyFiles(List.of()).withAgent(null)
                .withInlineKey(Files.readString(hosts.privateKey()));
        try (SshRemote remote = SshRemote.connect(s)) {
            assertEquals("root\n", remote.exec(Command.of("whoami")).stdout());
        }
    }

    @Test
    void sshAgentKeysLogIn(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(0);
        Path rsa = tmp.resolve("agent_rsa");
        assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-t", "rsa", "-N", "", "-f", rsa.toString()).start().waitFor());
        Files.writeString(host.root().resolve("root/.ssh/authorized_keys"), Files.readString(Path.of(rsa + ".pub")),
                StandardOpenOption.APPEND);
        Path socket = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) {
                Thread.sleep(50);
            }
            ConnectionSettings s = settings(hosts, host, "root").withKeyFiles(List.of()).withAgent(socket);
            RemoteException empty = assertThrows(RemoteException.class, () -> SshRemote.connect(s));
            assertEquals(RemoteException.Reason.AUTH, empty.reason(), "an agent holding no key cannot log in");
            // RSA needs the rsa-sha2 signature flags; ed25519 is the common case
            for (Path key : List.of(rsa, hosts.privateKey())) {
                assertEquals(0, agentAdd(socket, "-D"));
                assertEquals(0, agentAdd(socket, key.toString()));
                try (SshRemote remote = SshRemote.connect(s)) {
                    assertEquals("root\n", remote.exec(Command.of("whoami")).stdout(), key.toString());
                }
            }
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    private static int agentAdd(Path socket, String arg) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ssh-add", "-q", arg).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void authenticationFailureSaysWhatToCheck(TestHosts hosts) throws Exception {
        Path key = tmp.resolve("stranger");
        assertEquals(0, new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor());
        TestHost host = hosts.host(0);
        RemoteException e = assertThrows(RemoteException.class, () -> SshRemote.connect(
                ConnectionSettings.of(host.name(), "root", List.of(key), List.of(hosts.knownHosts())).withAddress(host.address(), 22)));
        assertEquals(RemoteException.Reason.AUTH, e.reason());
        assertTrue(e.getMessage().startsWith(host.name() + ": authentication as root refused"), e.getMessage());
    }

    @Test
    void unknownAndChangedHostKeysAreRefused(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(0);
        Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
        RemoteException unknown = assertThrows(RemoteException.class, () -> SshRemote.connect(
                ConnectionSettings.of(host.name(), "root", List.of(hosts.privateKey()), List.of(empty)).withAddress(host.address(), 22)));
        assertEquals(RemoteException.Reason.HOST_KEY_UNKNOWN, unknown.reason());
        assertTrue(unknown.getMessage().contains("unknown host key ssh-ed25519 SHA256:"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("catalogue-ops hosts trust"), unknown.getMessage());

        Path wrong = Files.writeString(tmp.resolve("wrong_known_hosts"), host.address() + " " + hosts.host(1).hostKey() + "\n");
        RemoteException changed = assertThrows(RemoteException.class, () -> SshRemote.connect(
                ConnectionSettings.of(host.name(), "root", List.of(hosts.privateKey()), List.of(wrong)).withAddress(host.address(), 22)));
        assertEquals(RemoteException.Reason.HOST_KEY_CHANGED, changed.reason());
        assertTrue(changed.getMessage().contains("HOST KEY CHANGED"), changed.getMessage());
    }

    @Test
    void sudoWithAndWithoutPassword(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(0);
        try (SshRemote deploy = SshRemote.connect(settings(hosts, host, "deploy"))) {
            assertEquals("0\n", deploy.exec(Command.of("id", "-u").become("root")).stdout());
        }
        try (SshRemote asker = SshRemote.connect(settings(hosts, host, "asker"))) {
            RemoteException e = assertThrows(RemoteException.class, () -> asker.exec(Command.of("id", "-u").become("root")));
            assertEquals(RemoteException.Reason.SUDO, e.reason());
            assertTrue(e.getMessage().contains("asks for a password"), e.getMessage());
        }
        ConnectionSettings withPassword = settings(hosts, host, "asker").withBecome("root", RootImage.ASKER_PASSWORD.toCharArray());
        try (SshRemote asker = SshRemote.connect(withPassword)) {
            ExecResult r = asker.exec(Command.of("sh", "-c", "id -u; cat").become("root").withStdin("piped\n".getBytes()));
            assertEquals("0\npiped\n", r.stdout(), "the password went to sudo, stdin to the command");
            assertEquals("", r.stderr());
        }
        ConnectionSettings wrong = settings(hosts, host, "asker").withBecome("root", "nope".toCharArray());
        try (SshRemote asker = SshRemote.connect(wrong)) {
            RemoteException e = assertThrows(RemoteException.class, () -> asker.exec(Command.of("id").become("root")
                    .withTimeout(Duration.ofSeconds(20))));
            assertEquals(RemoteException.Reason.SUDO, e.reason());
            assertTrue(e.getMessage().contains("refused the password"), e.getMessage());
        }
    }

    @Test
    void tenMegabytesStreamLineByLine(TestHosts hosts) throws Exception {
        AtomicLong bytes = new AtomicLong();
        AtomicLong lines = new AtomicLong();
        try (SshRemote remote = SshRemote.connect(settings(hosts, hosts.host(0), "root"))) {
            ExecResult r = remote.exec(Command.of("sh", "-c", "head -c 10485760 /dev/zero | tr '\\0' x | fold -w 99"),
                    (host, stderr, line) -> {
                        bytes.addAndGet(line.length() + 1);
                        lines.incrementAndGet();
                    });
            assertEquals(0, r.exitCode());
            assertEquals(10485760 + lines.get(), bytes.get(), "every byte arrived, plus one newline per line");
            assertTrue(r.stdout().length() <= SshRemote.KEPT_OUTPUT, "the result keeps only the end");
        }
    }

    @Test
    void uploadIsAtomicWithModeAndOwner(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(0);
        try (SshRemote remote = SshRemote.connect(settings(hosts, host, "deploy"))) {
            byte[] content = "APP_SECRET_KEY=x\n".getBytes(StandardCharsets.UTF_8);
            remote.upload(content, "/etc/catalogue.env", "0640", "root:deploy", "root");
            assertEquals("640 root deploy\n", remote.exec(Command.of("stat", "-c", "%a %U %G", "/etc/catalogue.env")).stdout());
            assertArrayEquals(content, remote.download("/etc/catalogue.env"));
            assertEquals("", remote.exec(Command.of("sh", "-c", "ls -a /etc | grep catops; ls /tmp | grep catalogue-ops-upload; true")).stdout(),
                    "no temporary file left");
            // the input cut short (a connection lost mid-way): refused, the previous file kept, no temporary left
            byte[] next = "APP_SECRET_KEY=y\nDEBUG=0\n".getBytes(StandardCharsets.UTF_8);
            Command cut = SshRemote.installCommand(next, "/etc/catalogue.env", "0640", "root:deploy")
                    .withStdin(java.util.Arrays.copyOf(next, 10)).become("root");
            ExecResult r = remote.exec(cut);
            assertEquals(1, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("the file arrived incomplete"), r.stderr());
            assertArrayEquals(content, remote.download("/etc/catalogue.env"));
            assertEquals("", remote.exec(Command.of("sh", "-c", "ls -a /etc | grep catops; true")).stdout());
        }
    }

    @Test
    void worksWithAddedDelay(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(1);
        hosts.delay(host, 50);
        try (SshRemote remote = SshRemote.connect(settings(hosts, host, "root"))) {
            ExecResult r = remote.exec(Command.of("echo", "slow"));
            assertEquals("slow\n", r.stdout());
            assertTrue(r.duration().toMillis() >= 100, "one round trip at least: " + r.duration());
        } finally {
            hosts.delay(host, 0);
        }
    }

    /** The settings with another keep-alive interval (ConnectionSettings has no wither for it). */
    static ConnectionSettings withKeepAlive(ConnectionSettings s, Duration interval) {
        return new ConnectionSettings(s.host(), s.address(), s.port(), s.user(), s.keyFiles(), s.inlineKeys(), s.keyPassphrase(),
                s.agentSocket(), s.become(), s.becomeUser(), s.becomePassword(), s.knownHosts(), s.connectTimeout(), interval);
    }

    @Test
    void partitionDuringACommandEndsAtTheCommandsOwnTimeLimit(TestHosts hosts) throws Exception {
        TestHost host = hosts.host(1);
        // The keep-alive also ends a wait on a silent host (DISCONNECTED, after a few unanswered
        // intervals, and its first request may fall inside the limit). Its interval here is far
        // beyond the test's bounds, so only the command's own 4 s limit can end this one.
        ConnectionSettings s = withKeepAlive(settings(hosts, host, "root"), Duration.ofMinutes(10));
        Command command = Command.of("sh", "-c", "echo running; exec sleep 60").withTimeout(Duration.ofSeconds(4));
        try (SshRemote remote = SshRemote.connect(s)) {
            CountDownLatch running = new CountDownLatch(1);
            AtomicReference<Exception> cutFailed = new AtomicReference<>();
            Thread cut = new Thread(() -> {
                try {
                    if (running.await(30, TimeUnit.SECONDS)) {
                        hosts.partition(host);
                    }
                } catch (Exception e) {
                    cutFailed.set(e);
                }
            });
            cut.start();
            long start = System.nanoTime();
            RemoteException e = assertThrows(RemoteException.class, () -> remote.exec(command, (h, stderr, line) -> {
                if (line.equals("running")) {
                    running.countDown();
                }
            }));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            cut.join();
            assertNull(cutFailed.get(), "the partition was made");
            assertEquals(0, running.getCount(), "the command had started when the host was cut off");
            assertEquals(RemoteException.Reason.COMMAND_TIMEOUT, e.reason(), e.getMessage());
            assertEquals(host.name() + ": `sh -c 'echo running; exec sleep 60'` did not finish within 4 s (host stuck or"
                    + " unreachable)", e.getMessage());
            // the limit, not sooner (the wait is for the deadline), and not stuck past it on the dead link
            assertTrue(waited.compareTo(Duration.ofSeconds(4)) >= 0 && waited.compareTo(Duration.ofSeconds(30)) < 0,
                    "ended after " + waited);
        } finally {
            hosts.heal(host);
        }
    }

    @Test
    void anInterruptAbortsTheRunningCommandAndRefusesTheNext(TestHosts hosts) throws Exception {
        try (SshRemote remote = SshRemote.connect(settings(hosts, hosts.host(0), "root"))) {
            Thread caller = Thread.currentThread();
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                caller.interrupt();
            });
            stopper.start();
            long start = System.nanoTime();
            RemoteException during = assertThrows(RemoteException.class, () -> remote.exec(Command.of("sleep", "30")));
            assertTrue((System.nanoTime() - start) / 1_000_000_000L < 10, "the abort ended the wait");
            assertEquals(hosts.host(0).name() + ": the run was aborted during `sleep 30`; its session is closed (the command"
                    + " may have finished on the host or not)", during.getMessage());
            assertEquals(RemoteException.Reason.ABORTED, during.reason());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
            RemoteException before = assertThrows(RemoteException.class, () -> remote.exec(Command.of("touch", "/tmp/never")));
            assertEquals(hosts.host(0).name() + ": the run was aborted before `touch /tmp/never`; it was not started",
                    before.getMessage());
            assertEquals(RemoteException.Reason.ABORTED, before.reason());
            assertTrue(Thread.interrupted(), "still interrupted; cleared for what follows");
            stopper.join();
            assertFalse(java.nio.file.Files.exists(hosts.host(0).root().resolve("tmp/never")), "the refused command never ran");
            assertEquals("pong\n", remote.exec(Command.of("echo", "pong")).stdout(), "the connection still serves");
        }
    }
}
