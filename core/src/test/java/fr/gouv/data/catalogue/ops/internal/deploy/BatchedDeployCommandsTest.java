package fr.gouv.data.catalogue.ops.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands a deploy batches (several steps' work in one round trip), run by {@code sh} on
 * this machine in a folder of the test's: what each leaves on disk, and that input cut short
 * leaves nothing half-made.
 */
class BatchedDeployCommandsTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out) {
    }

    private static Run run(Command c, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(c.argv()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().write(c.stdin());
            p.getOutputStream().close();
        } catch (java.io.IOException endedBeforeReadingIt) {
            // a command that refuses at once (exit 3 below) may be gone before its input is written: its exit status tells
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void theCodeAndTheHostsOwnFilesArriveInOneStreamAndTheReleaseAppearsOnlyWhole() throws Exception {
        ReleaseLayout layout = new ReleaseLayout(tmp.resolve("w").toString());
        Files.createDirectories(tmp.resolve("w/releases"));
        byte[] code = new UstarWriter(1704110400L).file("server/main.py", 0644, "print(1)\n".getBytes(StandardCharsets.UTF_8))
                .file("REVISION", 0644, "abc\n".getBytes(StandardCharsets.UTF_8)).finish();
        byte[] own = new UstarWriter(1704110400L).file(".env", 0600, "APP_SECRET=s\n".getBytes(StandardCharsets.UTF_8))
                .file(ReleaseLayout.MANIFEST, 0644, "{}\n".getBytes(StandardCharsets.UTF_8)).finish();
        List<String> last = List.of(".env", ReleaseLayout.MANIFEST);

        // cut between the two archives: tar alone would take the first for the whole
        Run cut = run(DeployScripts.unpack(layout, "r1", code, last), Map.of());
        assertEquals(1, cut.exit(), cut.out());
        assertTrue(cut.out().contains(".env did not arrive: the input was cut short"), cut.out());
        assertFalse(Files.exists(tmp.resolve("w/releases/r1")), "no release folder from a cut input");

        Run ok = run(DeployScripts.unpack(layout, "r1", concat(code, own), last), Map.of());
        assertEquals(0, ok.exit(), ok.out());
        Path r = tmp.resolve("w/releases/r1");
        assertEquals("print(1)\n", Files.readString(r.resolve("server/main.py")));
        assertEquals("APP_SECRET=s\n", Files.readString(r.resolve(".env")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(r.resolve(".env"))));
        assertEquals("{}\n", Files.readString(r.resolve(ReleaseLayout.MANIFEST)));
        assertFalse(Files.exists(tmp.resolve("w/releases/r1.partial")));

        Run again = run(DeployScripts.unpack(layout, "r1", concat(code, own), last), Map.of());
        assertEquals(3, again.exit(), "an existing release folder is never overwritten: " + again.out());
    }

    @Test
    void currentTheManifestsAndTheSharedListingAreOneCommand() throws Exception {
        Path w = Files.createDirectories(tmp.resolve("w"));
        ReleaseLayout layout = new ReleaseLayout(w.toString());
        Files.createDirectories(w.resolve("releases/r1"));
        Files.createDirectories(w.resolve("releases/r2"));
        Files.createDirectories(w.resolve("shared/venvs/0123456789abcdef"));
        Files.createSymbolicLink(w.resolve("releases/r2/venv"), w.resolve("shared/venvs/0123456789abcdef"));
        Files.writeString(w.resolve("releases/r1/.release.json"), "{\"old\":1}\n");
        Command c = Command.all(List.of(DeployScripts.switchCurrent(layout, "r2"),
                DeployScripts.writeManifests(List.of(layout.manifest("r2"), "{\"id\":\"r2\",\"msg\":\"it's $(x)\"}",
                        layout.manifest("r1"), "{\"id\":\"r1\"}")), DeployScripts.sharedUse(layout)));
        Run r = run(c, Map.of());
        assertEquals(0, r.exit(), r.out());
        assertEquals(Path.of("releases/r2"), Files.readSymbolicLink(w.resolve("current")));
        assertEquals("{\"id\":\"r2\",\"msg\":\"it's $(x)\"}\n", Files.readString(w.resolve("releases/r2/.release.json")));
        assertEquals("{\"id\":\"r1\"}\n", Files.readString(w.resolve("releases/r1/.release.json")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.resolve("releases/r1/.release.json"))));
        Pruning.SharedUse shared = Pruning.SharedUse.parse(r.out());
        assertEquals(java.util.Set.of("0123456789abcdef"), shared.venvs());
        assertEquals(List.of(), shared.unusedVenvs(List.of()));
        assertEquals(List.of("0123456789abcdef"), shared.unusedVenvs(List.of("r2")));
        try (var files = Files.list(w.resolve("releases/r1"))) {
            assertEquals(1, files.count(), "no temporary file left beside a manifest");
        }
    }

    @Test
    void theAuditRecordIsAppendedAndAFailureToAppendIsSaidNotFatal() throws Exception {
        Path w = Files.createDirectories(tmp.resolve("w"));
        ReleaseLayout layout = new ReleaseLayout(w.toString());
        Files.writeString(w.resolve("deploy-history.jsonl"), "{\"a\":1}\n");
        Run r = run(DeployScripts.appendHistoryLine(layout, "{\"b\":\"$HOME 'x'\"}"), Map.of());
        assertEquals(0, r.exit(), r.out());
        assertEquals("{\"a\":1}\n{\"b\":\"$HOME 'x'\"}\n", Files.readString(w.resolve("deploy-history.jsonl")));
        assertEquals("", r.out());

        ReleaseLayout missing = new ReleaseLayout(tmp.resolve("gone/w").toString());
        Run failed = run(DeployScripts.remove(missing, List.of("r0")).then(DeployScripts.appendHistoryLine(missing, "{}")), Map.of());
        assertEquals(0, failed.exit(), failed.out());
        assertEquals(DeployScripts.AUDIT_NOT_WRITTEN, failed.out().strip());
    }

    /** A stand-in for supervisorctl that records its calls. */
    private Path supervisorctl() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path sc = bin.resolve("supervisorctl");
        Files.writeString(sc, "#!/bin/sh\necho \"$*\" >> " + tmp.resolve("calls") + "\n");
        Files.setPosixFilePermissions(sc, PosixFilePermissions.fromString("rwxr-xr-x"));
        // ps: an old nginx worker still finishing requests while the file "draining" exists
        Path ps = bin.resolve("ps");
        Files.writeString(ps, "#!/bin/sh\n[ ! -e " + tmp.resolve("draining") + " ] || echo 'nginx: worker process is shutting down'\n");
        Files.setPosixFilePermissions(ps, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    /** The command with the side locks' folder moved into the test's. */
    private Command locksIn(Command c, Path dir) {
        List<String> argv = new ArrayList<>();
        c.argv().forEach(a -> argv.add(a.replace(Supervisor.SIDE_LOCKS, dir.toString())));
        return new Command(argv, null, c.stdin(), c.timeout());
    }

    private static boolean held(Path lock) throws Exception {
        return new ProcessBuilder("flock", "-n", lock.toString(), "true").start().waitFor() != 0;
    }

    @Test
    void aRetiredSideStopsOnTheHostAfterTheDrainAndAStartOfThatSideWaitsForTheStop() throws Exception {
        Path bin = supervisorctl();
        Path locks = tmp.resolve("locks");
        Path lock = locks.resolve("catalogue-green.lock");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        Files.writeString(tmp.resolve("draining"), "");
        Run r = run(locksIn(Supervisor.retire(Side.GREEN, java.time.Duration.ofSeconds(60)), locks), env);
        // it returned with the drain still going: the stop waits on the host, holding the side's lock
        assertEquals(0, r.exit(), r.out());
        assertTrue(held(lock), "the job holds the side's lock");
        assertFalse(Files.exists(tmp.resolve("calls")), "nothing stopped while old workers finish their requests");

        Command mark = Command.of("sh", "-c", "echo started >> \"$1\"", "sh", tmp.resolve("calls").toString());
        Process start = new ProcessBuilder(locksIn(Supervisor.underSideLock(Side.GREEN, mark), locks).argv()).start();
        Files.delete(tmp.resolve("draining"));
        assertTrue(start.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the start ran once the job ended");
        assertEquals(0, start.exitValue());
        assertEquals(List.of("stop catalogue-green:*", "started"), Files.readAllLines(tmp.resolve("calls")),
                "the side stopped after the drain, and only then started");
        assertFalse(held(lock), "the lock is free");
    }

    @Test
    void aSideLockHeldLongerThanTheWaitEndsTheCommandWithItsOwnCode() throws Exception {
        Path locks = Files.createDirectories(tmp.resolve("locks"));
        Path lock = locks.resolve("catalogue-blue.lock");
        Process holder = new ProcessBuilder("flock", lock.toString(), "sleep", "60").start();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!held(lock) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(held(lock));
            Command c = locksIn(Supervisor.underSideLock(Side.BLUE, Command.of("true")), locks);
            List<String> argv = new ArrayList<>(c.argv());
            argv.set(4, "0");  // no wait
            Run r = run(new Command(argv, null, c.stdin(), c.timeout()), Map.of());
            assertEquals(Supervisor.SIDE_BUSY, r.exit(), r.out());
        } finally {
            holder.destroy();
        }
    }

    @Test
    void startingASideIsOneCommandThatRefusesPortsHeldByAnotherProgram() throws Exception {
        Path bin = supervisorctl();
        Command start = Supervisor.start(Side.GREEN, new Side.Ports(3580, 3001), "/w/releases/r2", "app");
        // under the side's lock: flock runs the start's own sh -c
        assertEquals(List.of("sh", "-c"), start.argv().subList(0, 2));
        assertTrue(start.argv().get(2).contains("exec flock -w \"$w\" -E 74 \"$f\" \"$@\""), start.argv().get(2));
        assertEquals(List.of("sh", String.valueOf(Supervisor.SIDE_LOCK_WAIT.toSeconds()), "/run/catalogue-ops/catalogue-green.lock",
                "sh", "-c"), start.argv().subList(3, 8));
        assertEquals(9, start.argv().size());
        String script = start.argv().get(8);
        assertTrue(script.indexOf("supervisorctl stop") < script.indexOf("/proc/net/tcp")
                && script.indexOf("/proc/net/tcp") < script.indexOf("supervisorctl reread"), script);
        assertTrue(script.contains(Supervisor.configPath(Side.GREEN)), script);
        assertEquals(Supervisor.render(Side.GREEN, new Side.Ports(3580, 3001), "/w/releases/r2", "app"),
                new String(start.stdin(), StandardCharsets.UTF_8));

        // the same command against a file of the test's, run as this user (no chown)
        Path conf = tmp.resolve("catalogue-green.conf");
        Command local = new Command(List.of("sh", "-c", script.replace(Supervisor.configPath(Side.GREEN), conf.toString())
                .replace("root:root", "''")), null, start.stdin(), start.timeout());
        try (java.net.ServerSocket held = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = held.getLocalPort();
            Command taken = new Command(List.of("sh", "-c", local.argv().get(2).replace(" 3001", " " + port)), null, start.stdin(),
                    start.timeout());
            Run r = run(taken, Map.of("PATH", bin + ":" + System.getenv("PATH")));
            assertEquals(DeployScripts.PORTS_HELD, r.exit(), r.out());
            assertEquals(String.valueOf(port), r.out().strip());
            assertFalse(Files.readString(tmp.resolve("calls")).contains("update"), "nothing started on a held port");
        }
        Files.delete(tmp.resolve("calls"));
        Run r = run(local, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertEquals(0, r.exit(), r.out());
        assertEquals(new String(start.stdin(), StandardCharsets.UTF_8), Files.readString(conf));
        // the probe's digest of that file is what a rollback compares with to find its target running as the standby
        Process sum = new ProcessBuilder("sha256sum", conf.toString()).start();
        assertEquals(Supervisor.fileDigest(Side.GREEN, new Side.Ports(3580, 3001), "/w/releases/r2", "app"),
                new String(sum.getInputStream().readAllBytes(), StandardCharsets.UTF_8).substring(0, 64));
        List<String> calls = new ArrayList<>(Files.readAllLines(tmp.resolve("calls")));
        assertEquals(List.of("stop catalogue-green:*", "reread", "update catalogue-green", "start catalogue-green:*",
                "status catalogue-green:*"), calls);
    }

    @Test
    void theProbeSaysWhichReleaseEachSidesProgramFileRuns() {
        HostState s = HostState.parse("lock=free\nprogram=green " + "a".repeat(64) + " /w/releases/r1\nprogram=purple x y\n");
        assertEquals(new HostState.SideProgram("a".repeat(64), "/w/releases/r1"), s.program(Side.GREEN).orElseThrow());
        assertTrue(s.program(Side.BLUE).isEmpty());
        assertTrue(DeployScripts.PROBE.contains("/etc/supervisor/conf.d/catalogue-$s.conf"));
    }

    @Test
    void bothHealthChecksAreOneCommandAndAFailureNamesItsUrl() throws Exception {
        HealthCheck api = new HealthCheck("/health", "<500", java.time.Duration.ZERO, java.time.Duration.ofMillis(100));
        HealthCheck client = new HealthCheck("/", "<500", java.time.Duration.ZERO, java.time.Duration.ofMillis(100));
        Command both = HealthCheck.both(api, 1, client, 2);
        String script = both.argv().get(2);
        assertTrue(script.indexOf("http://127.0.0.1:1/health") < script.indexOf("http://127.0.0.1:2/"), script);
        Run r = run(both, Map.of());
        assertEquals(1, r.exit(), r.out());
        assertEquals("no answer from http://127.0.0.1:1/health", r.out().strip(), "the first failure ends it");
        assertEquals(java.time.Duration.ofSeconds(2), api.within(java.time.Duration.ofSeconds(2)).timeout());
    }
}
