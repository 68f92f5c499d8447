package fr.gouv.data.catalogue.ops.internal.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.deploy.Masking;
import fr.gouv.data.catalogue.ops.internal.deploy.ReleaseLayout;
import fr.gouv.data.catalogue.ops.internal.deploy.Side;
import fr.gouv.data.catalogue.ops.internal.deploy.SidePorts;
import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor's pure parts: the probe's exact command line, and the checks judged from canned probe outputs. */
class DoctorTest {
    static final SidePorts PORTS = new SidePorts(new Side.Ports(3579, 3000), new Side.Ports(3580, 3001));
    static final String WORKDIR = "/home/app/catalogage";
    static final String COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
    static final String MANIFEST = "{\"id\":\"20261201100000-1a2b3c4\",\"commit\":\"" + COMMIT + "\",\"ref\":\"v2\",\"deployed_by\":\"alice\","
            + "\"from\":\"laptop\",\"at\":\"2026-12-01T10:00:00Z\",\"state\":\"live\",\"side\":\"green\",\"settings\":\"s\"}";
    static final long NOW = 1_796_000_000L;

    static DoctorScript.Target target(boolean tls) {
        return new DoctorScript.Target(new ReleaseLayout(WORKDIR), "app", "web.example.org", tls, "/health", "/", "/home/app", PORTS);
    }

    @Test
    void theProbeIsOneFixedScriptWithTheValuesAsArguments() {
        List<String> argv = DoctorScript.probe(target(true)).argv();
        assertEquals(List.of("sh", "-c"), argv.subList(0, 2));
        assertEquals(DoctorScript.SCRIPT, argv.get(2));
        assertEquals(List.of("sh", WORKDIR, "app", "web.example.org", "1", "/health", "/", "/home/app",
                "/etc/nginx/catalogue-upstreams.conf", "3579", "3000", "3580", "3001"), argv.subList(3, argv.size()));
        assertEquals("0", DoctorScript.probe(target(false)).argv().get(7));
        String script = DoctorScript.SCRIPT;
        assertFalse(script.contains("web.example.org") || script.contains(WORKDIR), "no value spliced into the script");
        for (String writes : List.of(" rm ", "mkdir", "touch", " mv ", " cp ", ">>", "> \"", "tee ", "chmod", "chown", "reload",
                "supervisorctl start", "supervisorctl stop", "crontab -e", "crontab -")) {
            if (writes.equals("crontab -")) {
                assertFalse(script.contains("| crontab -"), "never writes the crontab");
                continue;
            }
            assertFalse(script.contains(writes), "the probe changes nothing: " + writes);
        }
        assertTrue(script.contains("PYTHONDONTWRITEBYTECODE=1 timeout 30 venv/bin/python -m alembic"), "no bytecode cache written");
        assertTrue(script.contains("PYTHONDONTWRITEBYTECODE=1 timeout 30 venv/bin/python -c '" + DoctorScript.POSTGRES_VERSION + "'"));
        assertFalse(DoctorScript.POSTGRES_VERSION.contains("'"), "fits in the script's single quotes");
    }

    /** The script itself, run here in an empty network namespace on a fake workdir: it reads the layout and writes nothing. */
    @Test
    void theProbeReadsAWorkdirAndChangesNothing(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for a network namespace");
        Path w = tmp.resolve("w");
        Path release = w.resolve("releases/20261201100000-1a2b3c4");
        Files.createDirectories(release);
        Files.writeString(release.resolve(".release.json"), MANIFEST + "\n");
        Files.createDirectories(w.resolve("releases/20261201110000-9999999.partial"));
        Files.createSymbolicLink(w.resolve("current"), Path.of("releases/20261201100000-1a2b3c4"));
        Files.createDirectories(w.resolve(".deploy-lock"));
        Files.writeString(w.resolve(".deploy-lock/lock.json"), "{\"user\":\"bob\"}\n");
        Files.writeString(w.resolve(".deploy-lock/heartbeat"), "");
        Files.writeString(w.resolve("deploy-history.jsonl"), "{\"event\":\"deploy\",\"result\":\"deployed\"}\n");
        String before = tree(w);
        DoctorScript.Target t = new DoctorScript.Target(new ReleaseLayout(w.toString()), System.getProperty("user.name"),
                "web.example.org", false, "/health", "/", tmp.resolve("home").toString(), new SidePorts(new Side.Ports(1, 2),
                new Side.Ports(3, 4)));
        List<String> argv = new ArrayList<>(List.of("unshare", "--net"));
        argv.addAll(DoctorScript.probe(t).argv());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals(before, tree(w), "nothing changed");
        DoctorFacts f = DoctorFacts.parse(out);
        assertEquals("yes", f.one("workdir"), out);
        assertEquals("releases/20261201100000-1a2b3c4", f.one("current"), out);
        assertEquals(MANIFEST, f.one("manifest"), out);
        assertEquals(w + "/releases/20261201110000-9999999.partial", f.one("leftover"), out);
        assertEquals("held", f.one("lock"), out);
        assertEquals("{\"user\":\"bob\"}", f.one("lock_json"), out);
        assertEquals("{\"event\":\"deploy\",\"result\":\"deployed\"}", f.one("history"), out);
        assertEquals("000", f.one("health_1"), out);
        assertEquals("000", f.one("nginx_client"), out);
        assertTrue(f.one("now").matches("[0-9]+\\.[0-9]+"), out);
        assertTrue(f.one("df_workdir").matches(".* [0-9]+ +[0-9]+ +[0-9]+ +[0-9]+% +/.*"), out);
        assertTrue(f.all("mem").size() == 2, out);
    }

    static String tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().map(p -> {
                try {
                    return dir.relativize(p) + (Files.isRegularFile(p) ? " " + Files.readString(p) + Files.getLastModifiedTime(p) : "");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** What the probe prints on a healthy green host. */
    static String healthy() {
        return String.join("\n", List.of(
                "now=" + NOW + ".250000000",
                "nginx_running=yes", "nginx_version=nginx version: nginx/1.22.1", "nginx_t_rc=0",
                "nginx_t=nginx: the configuration file /etc/nginx/nginx.conf syntax is ok",
                "nginx_t=nginx: configuration file /etc/nginx/nginx.conf test is successful",
                "site=present", "site_include=yes", "site_proxy=http://client", "site_proxy=http://client", "site_proxy=http://api/",
                "upstreams=upstream client {     server 127.0.0.1:3001; }  upstream api {     server 127.0.0.1:3580; } ",
                "supervisord_running=yes", "sv_rc=3",
                "sv=catalogue-blue:client-blue              STOPPED   Dec 01 10:00 AM",
                "sv=catalogue-blue:server-blue              STOPPED   Dec 01 10:00 AM",
                "sv=catalogue-green:client-green            RUNNING   pid 812, uptime 1:02:03",
                "sv=catalogue-green:server-green            RUNNING   pid 811, uptime 1:02:03",
                "restarts_server-blue=0", "restarts_client-blue=0", "restarts_server-green=0", "restarts_client-green=0",
                "tail_server-green=INFO:     Uvicorn running on http://127.0.0.1:3580",
                "listen=3580", "listen=3001",
                "health_3579=000", "health_3000=000", "health_3580=200", "health_3001=200",
                "nginx_client=200", "nginx_api=200",
                "workdir=yes", "current=releases/20261201100000-1a2b3c4", "manifest=" + MANIFEST, "lock=free",
                "history={\"at\":\"2026-12-01T10:00:00Z\",\"event\":\"deploy\",\"user\":\"alice\",\"from\":\"laptop\",\"ref\":\"v2\","
                        + "\"result\":\"deployed\",\"message\":\"\"}",
                "alembic_current_rc=0", "alembic_current=INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.",
                "alembic_current=0002 (head)", "alembic_heads_rc=0", "alembic_heads=0002 (head)",
                "postgres_rc=0", "postgres=15.10 (Debian 15.10-0+deb12u1)",
                "node=v18.19.0", "python3=Python 3.11.2", "venv_python=Python 3.11.2", "pyenv_global=",
                "df_workdir=/dev/sda1 10000000 5000000 5000000 50% /", "df_log=/dev/sda1 10000000 5000000 5000000 50% /",
                "mem=MemTotal:        8000000 kB", "mem=MemAvailable:    4000000 kB")) + "\n";
    }

    static DoctorChecks.Expectations expectations(boolean tls, String python, String node, DoctorChecks.Target target) {
        return new DoctorChecks.Expectations("prod", "web-1", WORKDIR, PORTS, "web.example.org", tls, "/health", "<500", "system",
                python, "system", node, "v2", target);
    }

    static List<DoctorCheck> judge(String out) {
        return judge(out, expectations(false, "", "", new DoctorChecks.Target(COMMIT, null)));
    }

    static List<DoctorCheck> judge(String out, DoctorChecks.Expectations e) {
        return DoctorChecks.judge(e, DoctorFacts.parse(out), new DoctorChecks.Clock(NOW + 0.2, 0.05), new Masking(List.of("s3cret")));
    }

    static DoctorCheck check(List<DoctorCheck> checks, String name) {
        return checks.stream().filter(c -> c.check().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + checks));
    }

    /** The probe's output with the first line of {@code key} (a key, or the start of a line "key=...") replaced, the others removed. */
    static String replace(String out, String key, String line) {
        String prefix = key.contains("=") ? key : key + "=";
        List<String> lines = new ArrayList<>();
        boolean done = false;
        for (String l : out.split("\n")) {
            if (!l.startsWith(prefix)) {
                lines.add(l);
            } else if (!done) {
                lines.add(line);
                done = true;
            }
        }
        return lines.stream().filter(l -> !l.isEmpty()).collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void aHealthyHostIsAllOk() {
        List<DoctorCheck> checks = judge(healthy());
        for (DoctorCheck c : checks) {
            assertEquals(DoctorStatus.OK, c.status(), c.toString());
            assertEquals("", c.advice(), c.toString());
        }
        assertEquals(List.of("nginx running", "nginx -t", "app site", "upstreams", "supervisor running", "program server-green",
                "health server-green", "program client-green", "health client-green", "through nginx", "live release", "git_version",
                "deploy lock", "last deploy", "leftovers", "postgresql", "migrations", "disk (workdir)", "disk (/var/log)", "memory", "clock",
                "python", "node"), checks.stream().map(DoctorCheck::check).toList());
        assertEquals("RUNNING pid 811, uptime 1:02:03", check(checks, "program server-green").evidence());
        assertEquals("database at 0002, the live release's head", check(checks, "migrations").evidence());
        assertEquals("server 15.10 (Debian 15.10-0+deb12u1) (seen from the app's connection)", check(checks, "postgresql").evidence());
        assertEquals("+0.05 s against this machine (within 0.05 s)", check(checks, "clock").evidence());
        assertEquals("50 % free on / (4882 MiB of 9765 MiB)", check(checks, "disk (workdir)").evidence());
    }

    @Test
    void aStoppedServerExplainsThe502WithTheEndOfItsLog() {
        String out = replace(healthy(), "sv=catalogue-green:server-green", "sv=catalogue-green:server-green  STOPPED   Dec 01 11:00 AM");
        out = replace(out, "listen=3580", "");
        out = replace(out, "health_3580", "health_3580=000");
        out = replace(out, "nginx_api", "nginx_api=502");
        out = replace(out, "tail_server-green", "tail_server-green=Traceback: s3cret is wrong");
        List<DoctorCheck> checks = judge(out);
        DoctorCheck program = check(checks, "program server-green");
        assertEquals(DoctorStatus.FAIL, program.status());
        assertEquals("STOPPED Dec 01 11:00 AM; end of its log: Traceback: ******** is wrong", program.evidence());
        assertEquals("start it: on web-1: supervisorctl start catalogue-green:server-green (its log:"
                + " /var/log/supervisor/catalogue-server-green.log)", program.advice());
        DoctorCheck through = check(checks, "through nginx");
        assertEquals(DoctorStatus.FAIL, through.status());
        assertEquals("/ answered 200, /api/health answered 502; the api upstream 127.0.0.1:3580 (server-green) is down: nothing"
                + " listens; end of its log: Traceback: ******** is wrong", through.evidence());
        assertEquals("start the live side's programs: on web-1: supervisorctl start catalogue-green:*, or fix the upstreams (see"
                + " above)", through.advice());
        assertEquals(DoctorStatus.OK, check(checks, "program client-green").status());
    }

    @Test
    void wrongUpstreamsBrokenConfigurationAndAForeignProxyAreNamed() {
        String out = replace(healthy(), "upstreams", "upstreams=upstream client { server 127.0.0.1:3001; } upstream api"
                + " { server 127.0.0.1:3999; }");
        out = replace(out, "nginx_t_rc", "nginx_t_rc=1");
        out = replace(out, "nginx_t", "nginx_t=nginx: [emerg] unexpected \"}\" in /etc/nginx/sites-enabled/catalogage.conf:37");
        out = replace(out, "site_proxy", "site_proxy=http://127.0.0.1:3999");
        out = replace(out, "nginx_api", "nginx_api=502");
        List<DoctorCheck> checks = judge(out);
        DoctorCheck up = check(checks, "upstreams");
        assertEquals(DoctorStatus.FAIL, up.status());
        assertEquals("nginx sends api to 127.0.0.1:3999 and client to 127.0.0.1:3001; the live release 20261201100000-1a2b3c4"
                + " runs on green (api 3580, client 3001)", up.evidence());
        assertTrue(up.advice().contains("upstream api 127.0.0.1:3580 and upstream client 127.0.0.1:3001"), up.advice());
        DoctorCheck t = check(checks, "nginx -t");
        assertEquals(DoctorStatus.FAIL, t.status());
        assertEquals("nginx: [emerg] unexpected \"}\" in /etc/nginx/sites-enabled/catalogage.conf:37", t.evidence());
        DoctorCheck site = check(checks, "app site");
        assertEquals(DoctorStatus.FAIL, site.status());
        assertTrue(site.evidence().contains("proxies to http://127.0.0.1:3999"), site.evidence());
        assertTrue(check(checks, "through nginx").evidence().contains("the api upstream points at 127.0.0.1:3999, a port of neither"
                + " side where nothing listens"), check(checks, "through nginx").evidence());
    }

    @Test
    void migrationsPendingOrAheadOrUnreachable() {
        String pending = replace(healthy(), "alembic_current=0002 (head)", "alembic_current=0001");
        DoctorCheck m = check(judge(pending), "migrations");
        assertEquals(DoctorStatus.FAIL, m.status());
        assertEquals("database at 0001, the live release's head is 0002: migrations pending", m.evidence());
        assertEquals("run them (deploy runs them before the switch): on web-1: cd /home/app/catalogage/current && make migrate",
                m.advice());
        String ahead = replace(replace(healthy(), "alembic_current_rc", "alembic_current_rc=1"), "alembic_current=0002 (head)",
                "alembic_current=FAILED: Can't locate revision identified by '0003'");
        assertEquals(DoctorStatus.WARN, check(judge(ahead), "migrations").status());
        String down = replace(replace(healthy(), "alembic_current_rc", "alembic_current_rc=1"), "alembic_current=0002 (head)",
                "alembic_current=sqlalchemy.exc.OperationalError: connection refused");
        assertEquals(DoctorStatus.FAIL, check(judge(down), "migrations").status());
        String noDb = replace(replace(healthy(), "postgres_rc", "postgres_rc=1"), "postgres=", "postgres=psycopg2.OperationalError:"
                + " connection refused");
        assertEquals(DoctorStatus.WARN, check(judge(noDb), "postgresql").status());
        assertEquals("cannot read the server's version: psycopg2.OperationalError: connection refused",
                check(judge(noDb), "postgresql").evidence());
        assertTrue(check(judge(down), "migrations").advice().contains("check database_url"));
        assertEquals(List.of("0002", "0003"), DoctorChecks.revisions(List.of("INFO  [alembic] x", "0002 (head)", "0003 (head) (effective head)")));
    }

    @Test
    void driftLockHistoryAndLeftovers() {
        DoctorCheck drift = check(judge(healthy(), expectations(false, "", "", new DoctorChecks.Target(
                "4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70", null))), "git_version");
        assertEquals(DoctorStatus.WARN, drift.status());
        assertEquals("prod runs 1a2b3c4 (v2), git_version v2 is now 4d5e6f7", drift.evidence());
        assertEquals("deploy it: catalogue-ops deploy prod (or set git_version to what should run)", drift.advice());

        String stale = replace(healthy(), "lock", "lock=held\nlock_age=300\nlock_json={\"user\":\"alice\",\"from\":\"laptop\",\"pid\":42,"
                + "\"since\":\"2026-12-01T09:00:00Z\",\"operation\":\"deploy\",\"version\":\"v3\"}\nmanifest={\"id\":"
                + "\"20261201110000-9999999\",\"commit\":\"9999999\",\"state\":\"prepared\",\"side\":\"blue\"}\n"
                + "leftover=/home/app/catalogage/.current.new");
        List<DoctorCheck> checks = judge(stale);
        DoctorCheck lock = check(checks, "deploy lock");
        assertEquals(DoctorStatus.WARN, lock.status());
        assertEquals("stale: held by alice from laptop (pid 42) since 2026-12-01T09:00:00Z, deploy v3; last heartbeat 300 s ago",
                lock.evidence());
        assertTrue(lock.advice().endsWith("catalogue-ops lock release prod"), lock.advice());
        DoctorCheck left = check(checks, "leftovers");
        assertEquals(DoctorStatus.WARN, left.status());
        assertEquals("/home/app/catalogage/.current.new, /home/app/catalogage/releases/20261201110000-9999999 (prepared, never live)",
                left.evidence());

        String failed = replace(healthy(), "history", "history={\"event\":\"deploy\",\"ref\":\"v3\",\"result\":\"failed\","
                + "\"message\":\"migrate failed\",\"user\":\"bob\",\"from\":\"ci\",\"at\":\"t\"}");
        DoctorCheck last = check(judge(failed), "last deploy");
        assertEquals(DoctorStatus.WARN, last.status());
        assertEquals("deploy v3 failed at t by bob from ci: migrate failed", last.evidence());
    }

    @Test
    void certificatesCronAndTheChallengeSite() {
        String tls = healthy() + "cert=web.example.org|" + (NOW + 10 * 86400 + 100) + "|web.example.org \n"
                + "cert=old.example.org|" + (NOW - 100) + "|old.example.org \n"
                + "cron=#Ansible: certs_renewal\ncron=@weekly certbot renew -q\nacme_site=present\nacme_answer=404\n";
        List<DoctorCheck> checks = judge(tls, expectations(true, "", "", new DoctorChecks.Target(COMMIT, null)));
        DoctorCheck soon = check(checks, "certificate web.example.org");
        assertEquals(DoctorStatus.WARN, soon.status());
        assertTrue(soon.evidence().endsWith("(10 days left)"), soon.evidence());
        DoctorCheck expired = check(checks, "certificate old.example.org");
        assertEquals(DoctorStatus.FAIL, expired.status());
        assertTrue(expired.evidence().endsWith("(expired)") && expired.advice().contains("catalogue-ops certs renew "),
                expired.toString());
        assertEquals(DoctorStatus.OK, check(checks, "certs_renewal cron").status());
        assertEquals(DoctorStatus.OK, check(checks, "acme challenge site").status());
        assertTrue(checks.stream().noneMatch(c -> c.check().equals("certificate for web.example.org")), "covered");

        String none = healthy() + "acme_site=present\nacme_answer=301\n";
        checks = judge(none, expectations(true, "", "", new DoctorChecks.Target(COMMIT, null)));
        assertEquals("no certificate in /etc/letsencrypt/live", check(checks, "certificate for web.example.org").evidence());
        assertEquals(DoctorStatus.FAIL, check(checks, "certs_renewal cron").status());
        assertEquals(DoctorStatus.FAIL, check(checks, "acme challenge site").status());
    }

    @Test
    void diskMemoryClockAndRuntimes() {
        Map<String, DoctorStatus> disk = Map.of("20%", DoctorStatus.OK, "14%", DoctorStatus.WARN, "4%", DoctorStatus.FAIL);
        disk.forEach((free, status) -> {
            long pct = Long.parseLong(free.replace("%", ""));
            String out = replace(healthy(), "df_log", "df_log=tmpfs 1000 " + (1000 - pct * 10) + " " + (pct * 10) + " x% /var/log");
            assertEquals(status, check(judge(out), "disk (/var/log)").status(), free);
        });
        assertEquals(DoctorStatus.FAIL, check(judge(replace(healthy(), "mem=MemAvailable", "mem=MemAvailable: 100000 kB")),
                "memory").status());
        assertEquals(DoctorStatus.WARN, check(judge(replace(healthy(), "now", "now=" + (NOW + 10))), "clock").status());
        assertEquals(DoctorStatus.FAIL, check(judge(replace(healthy(), "now", "now=" + (NOW - 3600))), "clock").status());

        List<DoctorCheck> checks = judge(healthy() + "pyenv_version=3.8.9\npyenv_version=3.11.2\n",
                expectations(false, "3.8.9", "16", new DoctorChecks.Target(COMMIT, null)));
        DoctorCheck python = check(checks, "python");
        assertEquals(DoctorStatus.FAIL, python.status());
        assertEquals("Python 3.11.2 (the live release's virtualenv), pyenv_python_version says 3.8.9", python.evidence());
        DoctorCheck node = check(checks, "node");
        assertEquals(DoctorStatus.FAIL, node.status());
        assertEquals("v18.19.0, nvm_node_version says 16", node.evidence());
        DoctorCheck old = check(checks, "pyenv versions");
        assertEquals(DoctorStatus.WARN, old.status());
        assertEquals("on web-1: pyenv uninstall -f 3.11.2", old.advice().substring(old.advice().indexOf("on web-1")));
        assertTrue(DoctorChecks.sameVersion("v18.19.0", "18") && DoctorChecks.sameVersion("Python 3.8.9", "3.8.9")
                && !DoctorChecks.sameVersion("v18.19.0", "18.1") && !DoctorChecks.sameVersion("Python 3.11.2", "3.1"));
        assertTrue(DoctorChecks.accepted("404", "<500") && !DoctorChecks.accepted("502", "<500")
                && DoctorChecks.accepted("204", "200,204") && !DoctorChecks.accepted("000", "<500"));
    }

}
