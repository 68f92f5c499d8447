package fr.gouv.data.catalogue.ops.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deploy's pure parts: layout, manifest, rendered files, command lines, pruning, the lock's staleness, the tar writer. */
class DeployPartsTest {
    static final ReleaseLayout LAYOUT = new ReleaseLayout("/home/app/catalogage/");

    @Test
    void layoutNamesReleasesByUtcTimeAndShortCommit() {
        String id = ReleaseLayout.releaseId(Instant.parse("2026-12-01T18:05:09Z"), "0123456789abcdef0123456789abcdef01234567");
        assertEquals("20261201180509-0123456", id);
        assertTrue(ReleaseLayout.isReleaseId(id));
        assertFalse(ReleaseLayout.isReleaseId("../etc"));
        assertEquals("/home/app/catalogage/releases/" + id, LAYOUT.release(id));
        assertEquals("/home/app/catalogage/releases/" + id + "/.release.json", LAYOUT.manifest(id));
        assertEquals("/home/app/catalogage/current", LAYOUT.current());
        assertEquals("/home/app/catalogage/shared/venvs/k1", LAYOUT.venv("k1"));
        assertEquals("/home/app/catalogage/shared/node/k2", LAYOUT.nodeModules("k2"));
        assertEquals("/home/app/catalogage/.deploy-lock", LAYOUT.lock());
        assertEquals("/home/app/catalogage/deploy-history.jsonl", LAYOUT.history());
        assertThrows(IllegalArgumentException.class, () -> new ReleaseLayout("catalogage"));
    }

    @Test
    void manifestIsOneJsonLineReadBack() {
        ReleaseManifest m = new ReleaseManifest("20261201180509-0123456", "0123456789abcdef0123456789abcdef01234567", "v2",
                "alice", "laptop", "2026-12-01T18:05:09Z", ReleaseState.LIVE, Side.GREEN, "abc");
        String json = m.toJson();
        assertEquals("{\"id\":\"20261201180509-0123456\",\"commit\":\"0123456789abcdef0123456789abcdef01234567\",\"ref\":\"v2\","
                + "\"deployed_by\":\"alice\",\"from\":\"laptop\",\"at\":\"2026-12-01T18:05:09Z\",\"state\":\"live\",\"side\":\"green\",\"settings\":\"abc\"}", json);
        assertEquals(m, ReleaseManifest.parse(json).orElseThrow());
        assertTrue(ReleaseManifest.parse("{\"id\":\"x\"}").isEmpty());
        assertTrue(ReleaseManifest.parse("{half").isEmpty());
    }

    @Test
    void supervisorFileRunsOneSideOnItsPorts() {
        String conf = Supervisor.render(Side.GREEN, new Side.Ports(3580, 3001), "/srv/w/releases/r1", "app");
        assertEquals("""
                ; Managed by catalogue-ops (deploy): the green side of the catalogue app.
                [group:catalogue-green]
                programs=server-green,client-green

                [program:server-green]
                directory=/srv/w/releases/r1
                command=/srv/w/releases/r1/venv/bin/python -m server.main
                environment=APP_PORT="3580"
                user=app
                autostart=true
                autorestart=true
                startsecs=0
                stopsignal=TERM
                stopwaitsecs=30
                stopasgroup=true
                killasgroup=true
                redirect_stderr=true
                stdout_logfile=/var/log/supervisor/catalogue-server-green.log
                stdout_logfile_maxbytes=10MB
                stdout_logfile_backups=3

                [program:client-green]
                directory=/srv/w/releases/r1/client
                command=node ./build
                environment=HOST="127.0.0.1",PORT="3001",VITE_API_SSR_URL="http://localhost:3580"
                user=app
                autostart=true
                autorestart=true
                startsecs=0
                stopsignal=TERM
                stopwaitsecs=30
                stopasgroup=true
                killasgroup=true
                redirect_stderr=true
                stdout_logfile=/var/log/supervisor/catalogue-client-green.log
                stdout_logfile_maxbytes=10MB
                stdout_logfile_backups=3
                """, conf);
        assertEquals("/etc/supervisor/conf.d/catalogue-green.conf", Supervisor.configPath(Side.GREEN));
        assertEquals(List.of("sh", "-c", "set -e; supervisorctl reread >/dev/null; supervisorctl update \"$1\";"
                + " supervisorctl start \"$1:*\" >/dev/null 2>&1 || true; supervisorctl status \"$1:*\" || true", "sh",
                "catalogue-blue"), Supervisor.apply(Side.BLUE).argv());
        assertFalse(String.join(" ", Supervisor.apply(Side.BLUE).argv()).contains("reload"), "never supervisorctl reload");
    }

    @Test
    void upstreamsRenderAndParseBack() {
        String text = Nginx.upstreams(new Side.Ports(3579, 3000));
        assertEquals("# Managed by catalogue-ops: the side nginx sends traffic to (deploy switches it).\n"
                + "upstream client {\n    server 127.0.0.1:3000;\n}\n\nupstream api {\n    server 127.0.0.1:3579;\n}\n", text);
        assertEquals(new Side.Ports(3579, 3000), Nginx.parse(text));
        assertEquals(new Side.Ports(3579, 3000), Nginx.parse(text.replace('\n', ' ')), "as the probe prints it");
        assertNull(Nginx.parse("upstream other { server 10.0.0.1:80; }"));
        SidePorts ports = new SidePorts(new Side.Ports(3579, 3000), new Side.Ports(3580, 3001));
        assertEquals(Side.GREEN, ports.sideOf(new Side.Ports(3580, 3001)));
        assertNull(ports.sideOf(new Side.Ports(1, 2)));
    }

    @Test
    void dotEnvHasTheOriginalsKeysWithTheSidesPorts() {
        String env = DotEnv.render(Map.of("secret_key", "s3", "database_url", "postgresql://u:p%40@db/c", "client_url", "http://x",
                "datapass_url", "http://d", "datapass_client_id", "id", "datapass_client_secret", "cs", "config_repo_api_key", "k",
                "passwords", "{\"a@b\": \"pw\"}"), new Side.Ports(3580, 3001));
        assertEquals("APP_SECRET_KEY='s3'\nAPP_SERVER_MODE=live\nAPP_CLIENT_URL='http://x'\nAPP_DATABASE_URL='postgresql://u:p%40@db/c'\n"
                + "APP_DATAPASS_URL='http://d'\nAPP_DATAPASS_CLIENT_ID='id'\nAPP_DATAPASS_CLIENT_SECRET='cs'\nAPP_PORT=3580\n"
                + "APP_SENTRY_DSN=''\nAPP_CONFIG_REPO_API_KEY='k'\nTOOLS_PASSWORDS='{\"a@b\": \"pw\"}'\nVITE_SERVER_MODE=live\n"
                + "VITE_API_BROWSER_URL=\"/api\"\nVITE_API_SSR_URL=\"http://localhost:3580\"\n", env);
    }

    @Test
    void commandsAreFixedScriptsWithValuesAsArguments() {
        assertEquals(List.of("make", "-C", "/home/app/catalogage/releases/r", "migrate"), DeployScripts.make(LAYOUT, "r", "migrate").argv());
        assertEquals(List.of("sh", "-c", "set -e; rm -f \"$1/.current.new\"; ln -s \"releases/$2\" \"$1/.current.new\";"
                + " mv -T \"$1/.current.new\" \"$1/current\"", "sh", "/home/app/catalogage", "r"),
                DeployScripts.switchCurrent(LAYOUT, "r").argv());
        List<String> venv = DeployScripts.venv(LAYOUT, "k", "r", "python3", true, List.of("--no-index")).argv();
        assertEquals(List.of("sh", "/home/app/catalogage/shared/venvs/k", "/home/app/catalogage/releases/r", "python3", "1",
                "--no-index"), venv.subList(3, venv.size()));
        assertTrue(venv.get(2).contains("--system-site-packages") && venv.get(2).indexOf("touch") > venv.get(2).indexOf("pip\" install"),
                "the marker is written last");
        assertEquals(List.of("rm", "-rf", "--", "/home/app/catalogage/releases/a", "/home/app/catalogage/releases/b"),
                DeployScripts.remove(LAYOUT, List.of("a", "b")).argv());
        assertEquals(List.of("sh", "-c", "grep -qF \"$2\" \"$1/lock.json\" 2>/dev/null && touch \"$1/heartbeat\"", "sh",
                "/home/app/catalogage/.deploy-lock", "tok"), DeployScripts.heartbeat(LAYOUT, "tok").argv());
        assertEquals(List.of("sh", LAYOUT.workdir(), "take", Nginx.UPSTREAMS, "python3"),
                DeployScripts.probe(LAYOUT, DeployScripts.LockMode.TAKE, "python3", new byte[1]).argv().subList(3, 8));
        assertEquals(0, DeployScripts.probe(LAYOUT, DeployScripts.LockMode.READ, "python3", new byte[1]).stdin().length,
                "reading takes nothing");
        List<String> listening = DeployScripts.listening(3580, 3001).argv();
        assertEquals(List.of("3580", "3001"), listening.subList(listening.size() - 2, listening.size()));
    }

    @Test
    void theAppsBuildsRunAtALowerCpuPriorityThanTheProgramsServing() throws Exception {
        Command build = DeployScripts.yielding(DeployScripts.make(LAYOUT, "r", "build"));
        assertEquals(List.of("sh", "-c", "{ echo 10 > /proc/self/autogroup; } 2>/dev/null; exec nice -n 10 \"$@\"", "sh",
                "make", "-C", "/home/app/catalogage/releases/r", "build"), build.argv());
        assertEquals(DeployScripts.make(LAYOUT, "r", "build").timeout(), build.timeout());
        // run here in a session of its own (as sshd gives each command): the niceness, and its session's
        Command probe = DeployScripts.yielding(Command.of("sh", "-c", "nice; cat /proc/self/autogroup 2>/dev/null || true"));
        List<String> argv = new java.util.ArrayList<>(List.of("setsid", "-w"));
        argv.addAll(probe.argv());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String[] out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(0, p.waitFor());
        assertEquals("10", out[0]);
        if (Files.exists(Path.of("/proc/self/autogroup"))) {
            assertTrue(out[1].endsWith(" nice 10"), String.join("\n", out));
        }
    }

    @Test
    void healthCheckPollsWithADeadline() {
        HealthCheck check = new HealthCheck("/health", "<500", Duration.ofSeconds(30), Duration.ofMillis(500));
        assertEquals(List.of("sh", "http://127.0.0.1:3580/health", "30", "below", "500", "0.5"),
                check.command(3580).argv().subList(3, 9));
        assertEquals(List.of("exact", "200,204"), new HealthCheck("/", "200,204", Duration.ofSeconds(5), Duration.ofSeconds(1))
                .command(1).argv().subList(6, 8));
        assertNull(HealthCheck.statusProblem("<500"));
        assertNull(HealthCheck.statusProblem("200,204"));
        assertTrue(HealthCheck.statusProblem("ok").startsWith("must be <N"));
    }

    static ReleaseManifest r(String id, ReleaseState state) {
        return new ReleaseManifest(id, "c", "r", "u", "m", "t", state, Side.BLUE, "");
    }

    @Test
    void pruningKeepsHealthyReleasesAndTheNewestFailedOne() {
        List<ReleaseManifest> all = new ArrayList<>(List.of(r("01", ReleaseState.PREVIOUS), r("02", ReleaseState.PREVIOUS),
                r("03", ReleaseState.FAILED), r("04", ReleaseState.PREVIOUS), r("05", ReleaseState.FAILED),
                r("06", ReleaseState.PREPARED), r("07", ReleaseState.LIVE)));
        assertEquals(List.of("01", "03", "06"), Pruning.toRemove(all, "07", 3), "failed ones do not count; the newest failed is kept");
        assertEquals(List.of("01", "02", "03", "06"), Pruning.toRemove(all, "07", 1), "keep 1: the live one and the last good before it");
        // a rollback made an older release live: the newer healthy ones still count, the live one is never removed
        List<ReleaseManifest> rolled = List.of(r("01", ReleaseState.LIVE), r("02", ReleaseState.ROLLED_BACK), r("03", ReleaseState.FAILED));
        assertEquals(List.of(), Pruning.toRemove(rolled, "01", 1));
        // deploys and rollbacks back and forth: four rolled-back releases newer than the one live
        // before this deploy (now previous), which stays as the rollback's way back
        List<ReleaseManifest> back = List.of(r("01", ReleaseState.PREVIOUS), r("02", ReleaseState.PREVIOUS),
                r("03", ReleaseState.ROLLED_BACK), r("04", ReleaseState.ROLLED_BACK), r("05", ReleaseState.ROLLED_BACK),
                r("06", ReleaseState.ROLLED_BACK), r("07", ReleaseState.LIVE));
        assertEquals(List.of("01"), Pruning.toRemove(back, "07", 5), "02, the rollback's target, is kept beyond the five");
        assertEquals(List.of("01", "03", "04", "05"), Pruning.toRemove(back, "07", 1),
                "keep 1: the live one, the last good before it and the rollback's target");
        assertThrows(IllegalArgumentException.class, () -> Pruning.toRemove(all, "07", 0));
    }

    @Test
    void aLockIsStaleOnceItsHeartbeatStopsForAMinute() {
        assertFalse(LockInfo.stale(10));
        assertFalse(LockInfo.stale(60));
        assertTrue(LockInfo.stale(61));
        LockInfo info = LockInfo.parse(new LockInfo("alice", "laptop", 42, "2026-12-01T18:00:00Z", "deploy", "v2", "t").toJson());
        assertEquals("alice from laptop (pid 42) since 2026-12-01T18:00:00Z, deploy v2", info.describe());
        assertEquals("t", info.token());
    }

    @Test
    void tarWriterMakesWhatTarExtracts(@TempDir Path tmp) throws Exception {
        String longPath = "a/" + "d".repeat(120) + "/file.txt";
        byte[] tar = new UstarWriter(1704110400L).file("server/main.py", 0644, "print(1)\n".getBytes(StandardCharsets.UTF_8))
                .file("bin/run", 0755, new byte[0]).file(longPath, 0644, "x".repeat(700).getBytes(StandardCharsets.UTF_8))
                .symlink("link", "server/main.py").finish();
        assertEquals(0, tar.length % 512);
        Process p = new ProcessBuilder("tar", "-x", "--no-same-owner", "-C", tmp.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(tar);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("print(1)\n", Files.readString(tmp.resolve("server/main.py")));
        assertTrue(Files.isExecutable(tmp.resolve("bin/run")));
        assertEquals(700, Files.size(tmp.resolve(longPath)));
        assertEquals(Path.of("server/main.py"), Files.readSymbolicLink(tmp.resolve("link")));
        assertEquals(1704110400000L, Files.getLastModifiedTime(tmp.resolve("server/main.py")).toMillis());
        Process list = new ProcessBuilder("tar", "-tv").redirectErrorStream(true).start();
        list.getOutputStream().write(tar);
        list.getOutputStream().close();
        assertTrue(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("server/main.py"));
        assertEquals(0, list.waitFor());
        assertTrue(new ByteArrayInputStream(tar).available() > 0);
    }

    @Test
    void theProbesAnswerIsReadLineByLine() {
        String manifest = new ReleaseManifest("20261201180509-0123456", "0123456789abcdef0123456789abcdef01234567", "v2", "alice",
                "laptop", "2026-12-01T18:05:09Z", ReleaseState.LIVE, Side.GREEN, "s").toJson();
        HostState s = HostState.parse("lock=held\nlock_age=75\nlock_json={\"user\":\"bob\"}\nhome=/root\n"
                + "current=releases/20261201180509-0123456\nupstreams=" + Nginx.upstreams(new Side.Ports(3580, 3001)).replace('\n', ' ')
                + "\nrelease=20261201180509-0123456\nmanifest=" + manifest + "\nrelease=20261201190000-0123456.partial\n"
                + "venv=k1\nnode=k2\noriginal=programs\nsite=ok\npython=Python 3.11.2\n");
        assertEquals("held", s.lock());
        assertTrue(LockInfo.stale(s.lockAgeSeconds()));
        assertEquals("bob", LockInfo.parse(s.lockJson()).user());
        assertEquals(new Side.Ports(3580, 3001), s.upstreams());
        assertEquals("20261201180509-0123456", s.live().orElseThrow().id());
        assertEquals(List.of("20261201180509-0123456", "20261201190000-0123456.partial"), s.releaseDirs());
        assertEquals(java.util.Set.of("k1"), s.venvs());
        assertTrue(s.originalPrograms() && !s.originalCheckout() && s.siteIncludesUpstreams());
        assertEquals("Python 3.11.2", s.pythonVersion());
    }

    @Test
    void theOriginalsProgramsAreRetiredByNameOnly() {
        String script = DeployScripts.retireOriginalPrograms().argv().get(2);
        assertEquals("supervisorctl stop server client >/dev/null 2>&1; rm -f /etc/supervisor/conf.d/supervisor.conf;"
                + " supervisorctl reread >/dev/null 2>&1; supervisorctl remove server client >/dev/null 2>&1; exit 0", script);
        List<String> aside = DeployScripts.moveOriginalCheckoutAside(LAYOUT).argv();
        assertEquals(List.of("sh", "/home/app/catalogage"), aside.subList(3, 5));
        assertTrue(aside.get(2).contains("releases|shared|current|.current.new|.deploy-lock|deploy-history.jsonl|.original-checkout)"));
        assertEquals(List.of("rm", "-rf", "--", "/home/app/catalogage/.original-checkout"),
                DeployScripts.removeOriginalCheckout(LAYOUT).argv());
    }
}
