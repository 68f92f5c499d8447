package fr.gouv.data.catalogue.ops.internal.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.internal.deploy.HostState;
import fr.gouv.data.catalogue.ops.internal.deploy.LockInfo;
import fr.gouv.data.catalogue.ops.internal.deploy.Masking;
import fr.gouv.data.catalogue.ops.internal.deploy.Nginx;
import fr.gouv.data.catalogue.ops.internal.deploy.ReleaseManifest;
import fr.gouv.data.catalogue.ops.internal.deploy.ReleaseState;
import fr.gouv.data.catalogue.ops.internal.deploy.Side;
import fr.gouv.data.catalogue.ops.internal.deploy.SidePorts;
import fr.gouv.data.catalogue.ops.internal.deploy.Supervisor;
import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges what the probe saw on a host against what the environment says: one check per line,
 * each not ok with its likely cause and the next command. Pure (no host, no clock of its own):
 * tests feed it probe outputs.
 */
public final class DoctorChecks {
    public static final int CERT_WARN_DAYS = 21;
    public static final int DISK_WARN_PERCENT = 15;
    public static final int DISK_FAIL_PERCENT = 5;
    public static final int MEMORY_WARN_PERCENT = 10;
    public static final int MEMORY_FAIL_PERCENT = 5;
    public static final double CLOCK_WARN_SECONDS = 2;
    public static final double CLOCK_FAIL_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SV_LINE = Pattern.compile("^(\\S+)\\s+([A-Z]+)\\s*(.*)$");
    private static final Pattern REVISION = Pattern.compile("^([0-9A-Za-z_]+)( \\(head\\))?( \\(.*\\))?\\s*$");

    /** What the environment says about a host. {@code pythonVersion}/{@code nodeVersion} empty: nothing to compare. */
    public record Expectations(String environment, String host, String workdir, SidePorts ports, String domain, boolean tls,
                               String apiHealthPath, String healthStatus, String pythonRuntime, String pythonVersion,
                               String nodeRuntime, String nodeVersion, String gitVersion, Target target) {
    }

    /** {@code git_version} resolved on this machine: its commit, or why not. */
    public record Target(String commit, String error) {
    }

    /** This machine's clock around the probe: the middle of the round trip and half of it (the uncertainty), in seconds. */
    public record Clock(double localMidpoint, double halfRoundTrip) {
    }

    private final Expectations e;
    private final DoctorFacts f;
    private final HostState state;
    private final Masking masking;
    private final List<DoctorCheck> checks = new ArrayList<>();
    private final Map<String, String[]> programs = new LinkedHashMap<>();

    private DoctorChecks(Expectations e, DoctorFacts f, Masking masking) {
        this.e = e;
        this.f = f;
        this.state = HostState.parse(f.raw());
        this.masking = masking;
        for (String line : f.all("sv")) {
            Matcher m = SV_LINE.matcher(line.strip());
            if (m.matches()) {
                String name = m.group(1).contains(":") ? m.group(1).substring(m.group(1).indexOf(':') + 1) : m.group(1);
                programs.put(name, new String[] {m.group(2), m.group(3).strip()});
            }
        }
    }

    public static List<DoctorCheck> judge(Expectations e, DoctorFacts f, Clock clock, Masking masking) {
        DoctorChecks c = new DoctorChecks(e, f, masking);
        Optional<ReleaseManifest> live = c.state.live();
        c.nginx(live);
        c.supervisor(live);
        c.throughNginx(live);
        c.release(live);
        c.lockAndHistory(live);
        c.migrations(live);
        if (e.tls()) {
            c.tls();
        }
        c.host(clock);
        c.runtimes();
        return List.copyOf(c.checks);
    }

    // ---------------------------------------------------------------------------------------------

    private void add(String check, DoctorStatus status, String evidence, String advice) {
        checks.add(new DoctorCheck(e.host(), check, status, masking.mask(evidence), masking.mask(advice)));
    }

    private void ok(String check, String evidence) {
        add(check, DoctorStatus.OK, evidence, "");
    }

    private void warn(String check, String evidence, String advice) {
        add(check, DoctorStatus.WARN, evidence, advice);
    }

    private void fail(String check, String evidence, String advice) {
        add(check, DoctorStatus.FAIL, evidence, advice);
    }

    private String on() {
        return "on " + e.host() + ": ";
    }

    private String tail(String program) {
        List<String> lines = f.all("tail_" + program);
        return lines.isEmpty() ? "its log " + Supervisor.logPath(program.substring(0, program.indexOf('-')),
                Side.of(program.substring(program.indexOf('-') + 1))) + " is empty or missing"
                : "end of its log: " + String.join(" | ", lines.stream().map(String::strip).toList());
    }

    private Set<Integer> listening() {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String p : f.all("listen")) {
            if (p.strip().matches("[0-9]{1,5}")) {
                ports.add(Integer.parseInt(p.strip()));
            }
        }
        return ports;
    }

    /** Whether an HTTP status is accepted by a {@code health_status} setting ({@code <N} or a list). */
    static boolean accepted(String code, String status) {
        if (!code.matches("[1-5][0-9]{2}")) {
            return false;
        }
        if (status.startsWith("<")) {
            return Integer.parseInt(code) < Integer.parseInt(status.substring(1));
        }
        return List.of(status.split(",")).contains(code);
    }

    // ---------------------------------------------------------------------------------------------
    // nginx

    private void nginx(Optional<ReleaseManifest> live) {
        if (f.one("nginx_running").equals("yes")) {
            ok("nginx running", f.one("nginx_version"));
        } else {
            fail("nginx running", "no nginx process", "start it after checking its configuration: " + on()
                    + "nginx -t && systemctl start nginx (journalctl -u nginx says why it stopped)");
        }
        String test = String.join(" | ", f.all("nginx_t").stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        if (f.one("nginx_t_rc").equals("0")) {
            ok("nginx -t", test);
        } else {
            fail("nginx -t", test, "the configuration is broken: fix the file and line nginx names (a reload or restart"
                    + " would fail until then); files catalogue-ops writes are restored by catalogue-ops provision "
                    + e.environment() + " --tags nginx");
        }
        if (!f.one("site").equals("present")) {
            fail("app site", "no " + DoctorScript.APP_SITE, "write it: catalogue-ops provision " + e.environment() + " --tags nginx");
        } else {
            List<String> foreign = f.all("site_proxy").stream().map(String::strip)
                    .filter(p -> !p.equals("http://client") && !p.equals("http://api/") && !p.equals("http://api")).toList();
            if (!f.has("site_include")) {
                fail("app site", DoctorScript.APP_SITE + " does not include " + Nginx.UPSTREAMS, "a site from before blue/green"
                        + " deploys: catalogue-ops provision " + e.environment() + " --tags nginx");
            } else if (!foreign.isEmpty()) {
                fail("app site", DoctorScript.APP_SITE + " proxies to " + String.join(", ", foreign)
                        + " instead of the upstreams client and api", "an edit by hand: restore it with catalogue-ops provision "
                        + e.environment() + " --tags nginx");
            } else {
                ok("app site", DoctorScript.APP_SITE + " includes " + Nginx.UPSTREAMS);
            }
        }
        Side.Ports up = state.upstreams();
        if (!state.upstreamsPresent() || up == null) {
            fail("upstreams", state.upstreamsPresent() ? Nginx.UPSTREAMS + " is not one catalogue-ops wrote" : "no " + Nginx.UPSTREAMS,
                    "write it: catalogue-ops provision " + e.environment() + " --tags nginx (blue ports), then deploy");
        } else if (live.isEmpty()) {
            ok("upstreams", "api " + up.api() + ", client " + up.client() + " (no live release to compare with)");
        } else {
            Side.Ports want = e.ports().of(live.get().side());
            String seen = "nginx sends api to 127.0.0.1:" + up.api() + " and client to 127.0.0.1:" + up.client();
            if (up.equals(want)) {
                ok("upstreams", seen + ", the " + live.get().side().id() + " side the live release runs on");
            } else {
                fail("upstreams", seen + "; the live release " + live.get().id() + " runs on " + live.get().side().id()
                        + " (api " + want.api() + ", client " + want.client() + ")", "point them back at the live side: "
                        + on() + "write upstream api 127.0.0.1:" + want.api() + " and upstream client 127.0.0.1:" + want.client()
                        + " into " + Nginx.UPSTREAMS + ", then nginx -t && nginx -s reload");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // supervisor, the live programs, their health

    private void supervisor(Optional<ReleaseManifest> live) {
        if (!f.one("supervisord_running").equals("yes")) {
            fail("supervisor running", "no supervisord process; supervisorctl: " + String.join(" | ", f.all("sv")),
                    "start it: " + on() + "systemctl start supervisor (it starts the live programs)");
            return;
        }
        ok("supervisor running", programs.size() + " programs");
        if (live.isEmpty()) {
            return;
        }
        Side side = live.get().side();
        Set<Integer> listening = listening();
        for (String program : List.of("server", "client")) {
            String name = program + "-" + side.id();
            String[] st = programs.get(name);
            String restarts = f.one("restarts_" + name);
            int n = restarts.matches("[0-9]+") ? Integer.parseInt(restarts) : 0;
            if (st == null || !st[0].equals("RUNNING")) {
                fail("program " + name, (st == null ? "not known to supervisor" : st[0] + " " + st[1]) + "; " + tail(name),
                        "start it: " + on() + "supervisorctl start " + Supervisor.group(side) + ":" + name + " (its log: "
                                + Supervisor.logPath(program, side) + ")");
            } else if (n > 0) {
                warn("program " + name, st[0] + " " + st[1] + "; exited unexpectedly " + n + " times (" + DoctorScript.SUPERVISOR_LOG
                        + ")", "it crashes and supervisor restarts it: read " + Supervisor.logPath(program, side));
            } else {
                ok("program " + name, st[0] + " " + st[1]);
            }
            int port = program.equals("server") ? e.ports().of(side).api() : e.ports().of(side).client();
            String code = f.one("health_" + port);
            String path = program.equals("server") ? e.apiHealthPath() : "";
            if (!listening.contains(port)) {
                fail("health " + name, "nothing listens on 127.0.0.1:" + port, (st != null && st[0].equals("RUNNING")
                        ? "it runs but does not listen: " : "it is down: ") + tail(name));
            } else if (!accepted(code, e.healthStatus())) {
                fail("health " + name, "127.0.0.1:" + port + path + " answered " + code, "the program answers but is unhealthy: "
                        + tail(name));
            } else {
                ok("health " + name, "listens on " + port + ", answered " + code);
            }
        }
    }

    private void throughNginx(Optional<ReleaseManifest> live) {
        String client = f.one("nginx_client");
        String api = f.one("nginx_api");
        String evidence = "/ answered " + client + ", /api" + e.apiHealthPath() + " answered " + api;
        if (accepted(client, e.healthStatus()) && accepted(api, e.healthStatus())) {
            ok("through nginx", evidence);
            return;
        }
        if (!f.one("nginx_running").equals("yes")) {
            fail("through nginx", evidence, "nginx is not running (see nginx running)");
            return;
        }
        List<String> why = new ArrayList<>();
        Side.Ports up = state.upstreams();
        Set<Integer> listening = listening();
        for (String upstream : List.of("api", "client")) {
            String code = upstream.equals("api") ? api : client;
            if (accepted(code, e.healthStatus())) {
                continue;
            }
            if (up == null) {
                why.add("the " + upstream + " upstream is not defined (" + Nginx.UPSTREAMS + ")");
                continue;
            }
            int port = upstream.equals("api") ? up.api() : up.client();
            Side side = null;
            for (Side candidate : Side.values()) {
                Side.Ports sp = e.ports().of(candidate);
                if ((upstream.equals("api") ? sp.api() : sp.client()) == port) {
                    side = candidate;
                }
            }
            String program = (upstream.equals("api") ? "server-" : "client-") + (side == null ? "?" : side.id());
            if (side == null) {
                why.add("the " + upstream + " upstream points at 127.0.0.1:" + port + ", a port of neither side"
                        + (listening.contains(port) ? "" : " where nothing listens") + " (see upstreams)");
            } else if (!listening.contains(port)) {
                why.add("the " + upstream + " upstream 127.0.0.1:" + port + " (" + program + ") is down: nothing listens; "
                        + tail(program));
            } else {
                why.add("the " + upstream + " upstream 127.0.0.1:" + port + " (" + program + ") answers " + code + "; " + tail(program));
            }
        }
        String advice = live.map(m -> "start the live side's programs: " + on() + "supervisorctl start " + Supervisor.group(m.side())
                + ":*, or fix the upstreams (see above)").orElse("deploy: catalogue-ops deploy " + e.environment());
        fail("through nginx", evidence + "; " + String.join("; ", why), advice);
    }

    // ---------------------------------------------------------------------------------------------
    // releases, drift, lock, audit log, leftovers

    private void release(Optional<ReleaseManifest> live) {
        if (!f.one("workdir").equals("yes")) {
            fail("live release", "no workdir " + e.workdir(), "deploy: catalogue-ops deploy " + e.environment());
            return;
        }
        if (live.isEmpty()) {
            fail("live release", "no live release in " + e.workdir() + " (current -> '" + state.current() + "')",
                    "deploy: catalogue-ops deploy " + e.environment());
            return;
        }
        ReleaseManifest m = live.get();
        String shortCommit = m.commit().length() >= 7 ? m.commit().substring(0, 7) : m.commit();
        ok("live release", m.id() + " on " + m.side().id() + " (ref " + m.ref() + ", deployed by " + m.deployedBy() + " at " + m.at() + ")");
        Target t = e.target();
        if (t == null || t.error() != null) {
            warn("git_version", "cannot resolve git_version " + e.gitVersion() + ": " + (t == null ? "no git_repo" : t.error()),
                    "check git_repo and git_version: catalogue-ops env show " + e.environment());
        } else if (t.commit().equals(m.commit())) {
            ok("git_version", e.environment() + " runs " + shortCommit + " (" + m.ref() + "), git_version " + e.gitVersion()
                    + " is the same commit");
        } else {
            warn("git_version", e.environment() + " runs " + shortCommit + " (" + m.ref() + "), git_version " + e.gitVersion()
                    + " is now " + t.commit().substring(0, 7), "deploy it: catalogue-ops deploy " + e.environment()
                    + " (or set git_version to what should run)");
        }
    }

    private void lockAndHistory(Optional<ReleaseManifest> live) {
        boolean held = state.lock().equals("held");
        boolean stale = held && LockInfo.stale(state.lockAgeSeconds());
        if (!held) {
            ok("deploy lock", "free");
        } else {
            String who = LockInfo.parse(state.lockJson()).describe() + "; last heartbeat " + state.lockAgeSeconds() + " s ago";
            if (stale) {
                warn("deploy lock", "stale: held by " + who, "its holder is gone (killed, machine lost); the next deploy takes it"
                        + " over, or release it: catalogue-ops lock release " + e.environment());
            } else {
                warn("deploy lock", "held by " + who, "a deploy is running; see it with catalogue-ops lock status " + e.environment());
            }
        }
        JsonNode last = null;
        for (String line : f.all("history")) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && (n.path("event").asText().equals("deploy") || n.path("event").asText().equals("rollback"))) {
                    last = n;
                }
            } catch (java.io.IOException | RuntimeException ignored) {
                // a torn line of the audit log
            }
        }
        if (last == null) {
            ok("last deploy", "none recorded");
        } else {
            String what = last.path("event").asText() + " " + last.path("ref").asText() + " " + last.path("result").asText() + " at "
                    + last.path("at").asText() + " by " + last.path("user").asText() + " from " + last.path("from").asText();
            if (last.path("result").asText().equals("failed")) {
                warn("last deploy", what + ": " + last.path("message").asText(), "the live release kept serving; the audit log:"
                        + " catalogue-ops history " + e.environment());
            } else {
                ok("last deploy", what);
            }
        }
        List<String> left = new ArrayList<>(f.all("leftover").stream().map(String::strip).toList());
        List<String> stop = new ArrayList<>();
        String standby = null;
        if (!held || stale) {
            for (ReleaseManifest m : state.manifests()) {
                if (m.state() == ReleaseState.PREPARED && live.map(l -> !l.id().equals(m.id())).orElse(true)) {
                    left.add(e.workdir() + "/releases/" + m.id() + " (prepared, never live)");
                }
            }
            if (live.isPresent()) {
                Side idle = live.get().side().other();
                for (String program : List.of("server", "client")) {
                    String[] st = programs.get(program + "-" + idle.id());
                    if (st != null && st[0].equals("RUNNING")) {
                        stop.add(Supervisor.group(idle) + ":" + program + "-" + idle.id());
                    }
                }
                standby = standby(idle);
                if (standby != null) {
                    stop.clear();
                }
            }
        }
        if (left.isEmpty() && stop.isEmpty()) {
            ok("leftovers", standby == null ? "none" : "none; " + standby);
        } else {
            List<String> all = new ArrayList<>(left);
            stop.forEach(p -> all.add(p + " running on the idle side"));
            warn("leftovers", String.join(", ", all), "a deploy died before cleaning up; the next deploy removes prepared releases"
                    + (stop.isEmpty() ? "" : "; stop the idle side: " + on() + "supervisorctl stop " + String.join(" ", stop))
                    + (left.isEmpty() ? "" : "; or remove them: " + on() + "rm -rf " + String.join(" ", left.stream()
                    .map(p -> p.replace(" (prepared, never live)", "")).toList())));
        }
    }

    /**
     * The standby a deploy leaves (the release live before it, still running on the idle side,
     * its program file pointing at a release marked previous), described; null when the idle side
     * runs something else.
     */
    private String standby(Side idle) {
        Optional<ReleaseManifest> previous = state.program(idle).flatMap(p -> state.manifests().stream()
                .filter(m -> m.state() == ReleaseState.PREVIOUS && p.releaseDir().equals(e.workdir() + "/releases/" + m.id()))
                .findFirst());
        if (previous.isEmpty()) {
            return null;
        }
        return "the standby " + previous.get().id() + " (the previous release) runs on the " + idle.id() + " side: catalogue-ops"
                + " rollback " + e.environment() + " switches to it without a start";
    }

    // ---------------------------------------------------------------------------------------------
    // migrations

    static List<String> revisions(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("INFO") || l.startsWith("WARN") || l.isBlank()) {
                continue;
            }
            Matcher m = REVISION.matcher(l.strip());
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private void migrations(Optional<ReleaseManifest> live) {
        if (live.isEmpty()) {
            return;
        }
        if (!f.has("alembic_current_rc")) {
            warn("migrations", "the live release has no venv/bin/python", "redeploy: catalogue-ops deploy " + e.environment());
            return;
        }
        String currentOut = String.join(" | ", f.all("alembic_current").stream().map(String::strip)
                .filter(s -> !s.isEmpty() && !s.startsWith("INFO")).toList());
        List<String> heads = revisions(f.all("alembic_heads"));
        if (!f.one("alembic_heads_rc").equals("0")) {
            fail("migrations", "alembic heads failed: " + String.join(" | ", f.all("alembic_heads")), "the live release's"
                    + " migrations cannot be read: " + on() + "cd " + e.workdir() + "/current && venv/bin/python -m alembic heads");
            return;
        }
        if (!f.one("alembic_current_rc").equals("0")) {
            if (currentOut.contains("Can't locate revision")) {
                warn("migrations", "the database is at a revision the live release does not know (ahead of its heads "
                        + String.join(", ", heads) + "): " + currentOut, "a newer release migrated it (then a rollback); deploy"
                        + " a release that has it: catalogue-ops releases " + e.environment());
            } else {
                fail("migrations", "alembic current failed: " + currentOut, "the app cannot reach its database: check database_url"
                        + " (catalogue-ops env check " + e.environment() + ") and the database host");
            }
            return;
        }
        postgres();
        List<String> current = revisions(f.all("alembic_current"));
        if (!current.isEmpty() && Set.copyOf(current).equals(Set.copyOf(heads))) {
            ok("migrations", "database at " + String.join(", ", current) + ", the live release's head");
        } else {
            fail("migrations", "database at " + (current.isEmpty() ? "no revision" : String.join(", ", current))
                    + ", the live release's head is " + String.join(", ", heads) + ": migrations pending",
                    "run them (deploy runs them before the switch): " + on() + "cd " + e.workdir() + "/current && make migrate");
        }
    }

    private void postgres() {
        String version = f.one("postgres");
        if (f.one("postgres_rc").equals("0") && !version.isEmpty()) {
            ok("postgresql", "server " + version + " (seen from the app's connection)");
        } else {
            warn("postgresql", "cannot read the server's version: " + version, "the app's connection fails: check database_url"
                    + " (catalogue-ops env check " + e.environment() + ") and the database host");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // TLS

    private void tls() {
        double now = hostNow();
        boolean covered = false;
        for (String line : f.all("cert")) {
            String[] parts = line.split("\\|", -1);
            if (parts.length < 3) {
                continue;
            }
            String name = parts[0].strip();
            List<String> domains = List.of(parts[2].strip().split("\\s+"));
            String check = "certificate " + name;
            if (!parts[1].strip().matches("[0-9]+")) {
                fail(check, "cannot read /etc/letsencrypt/live/" + name + "/cert.pem", "reissue it: catalogue-ops certs reissue "
                        + e.environment() + " --yes");
                continue;
            }
            long expiry = Long.parseLong(parts[1].strip());
            long days = (long) Math.floor((expiry - now) / 86400);
            String evidence = "domains " + String.join(" ", domains) + ", expires " + java.time.Instant.ofEpochSecond(expiry) + " ("
                    + (expiry <= now ? "expired" : days + " days left") + ")";
            if (expiry <= now) {
                fail(check, evidence, "renew it now: catalogue-ops certs renew " + e.environment() + " (nginx reloaded when it changes);"
                        + " then see why the renewal did not run (certs_renewal cron entry, /var/log/letsencrypt/letsencrypt.log)");
            } else if (days < CERT_WARN_DAYS) {
                warn(check, evidence, "certbot renews at 30 days left, so renewals are failing: " + on() + "certbot renew"
                        + " --dry-run, and read /var/log/letsencrypt/letsencrypt.log");
            } else {
                ok(check, evidence);
            }
            covered |= domains.contains(e.domain()) && expiry > now;
        }
        if (!covered) {
            fail("certificate for " + e.domain(), f.all("cert").isEmpty() ? "no certificate in /etc/letsencrypt/live"
                    : "no valid certificate names " + e.domain(), "obtain it: catalogue-ops provision " + e.environment() + " --tags tls");
        }
        List<String> cron = f.all("cron").stream().map(String::strip).toList();
        if (cron.size() >= 2 && cron.get(1).equals("@weekly certbot renew -q")) {
            ok("certs_renewal cron", String.join(" / ", cron));
        } else {
            fail("certs_renewal cron", cron.isEmpty() ? "no #Ansible: certs_renewal entry in root's crontab" : String.join(" / ", cron),
                    "certificates will expire unrenewed; write it back: catalogue-ops provision " + e.environment() + " --tags tls");
        }
        String answer = f.one("acme_answer");
        if (!f.has("acme_site")) {
            fail("acme challenge site", "no " + DoctorScript.ACME_SITE, "renewals cannot be validated; write it: catalogue-ops provision "
                    + e.environment() + " --tags tls");
        } else if (answer.equals("404") || answer.equals("200")) {
            ok("acme challenge site", "port 80 " + DoctorScript.ACME_PROBE_PATH + " answered " + answer + " from the webroot");
        } else {
            fail("acme challenge site", "port 80 " + DoctorScript.ACME_PROBE_PATH + " answered " + answer + " (expected 404 from the"
                    + " webroot)", "renewals will fail validation: restore the site: catalogue-ops provision " + e.environment()
                    + " --tags tls");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // host basics

    private double hostNow() {
        String now = f.one("now");
        return now.matches("[0-9]+(\\.[0-9]+)?") ? Double.parseDouble(now) : 0;
    }

    private void host(Clock clock) {
        disk("disk (workdir)", f.one("df_workdir"));
        disk("disk (/var/log)", f.one("df_log"));
        long total = 0;
        long available = -1;
        for (String m : f.all("mem")) {
            String[] p = m.strip().split("\\s+");
            if (p.length >= 2 && p[1].matches("[0-9]+")) {
                if (p[0].equals("MemTotal:")) {
                    total = Long.parseLong(p[1]);
                } else if (p[0].equals("MemAvailable:")) {
                    available = Long.parseLong(p[1]);
                }
            }
        }
        if (total <= 0 || available < 0) {
            warn("memory", "cannot read /proc/meminfo", "");
        } else {
            long pct = available * 100 / total;
            String evidence = (available / 1024) + " MiB available of " + (total / 1024) + " MiB (" + pct + " %)";
            if (pct < MEMORY_FAIL_PERCENT) {
                fail("memory", evidence, "the host is about to swap or kill programs: " + on() + "ps aux --sort=-rss | head");
            } else if (pct < MEMORY_WARN_PERCENT) {
                warn("memory", evidence, "little memory left: " + on() + "ps aux --sort=-rss | head");
            } else {
                ok("memory", evidence);
            }
        }
        double hostNow = hostNow();
        if (hostNow == 0 || clock == null) {
            warn("clock", "the host's time could not be read", "");
        } else {
            double offset = hostNow - clock.localMidpoint();
            double beyond = Math.abs(offset) - clock.halfRoundTrip();
            String evidence = String.format(Locale.ROOT, "%+.2f s against this machine (within %.2f s)", offset, clock.halfRoundTrip());
            String advice = "the lock's staleness and TLS need the right time: " + on() + "timedatectl status, and run an NTP client"
                    + " (systemd-timesyncd or chrony) on the host and here";
            if (beyond > CLOCK_FAIL_SECONDS) {
                fail("clock", evidence, advice);
            } else if (beyond > CLOCK_WARN_SECONDS) {
                warn("clock", evidence, advice);
            } else {
                ok("clock", evidence);
            }
        }
    }

    /** A {@code df -P} line: filesystem, 1024-blocks, used, available, capacity, mounted on. */
    private void disk(String check, String line) {
        String[] p = line.strip().split("\\s+");
        if (p.length < 6 || !p[2].matches("[0-9]+") || !p[3].matches("[0-9]+")) {
            warn(check, "cannot read df: " + line, "");
            return;
        }
        long used = Long.parseLong(p[2]);
        long avail = Long.parseLong(p[3]);
        long pct = used + avail == 0 ? 0 : avail * 100 / (used + avail);
        String mount = p[5];
        String evidence = String.format(Locale.ROOT, "%d %% free on %s (%d MiB of %d MiB)", pct, mount, avail / 1024, (used + avail) / 1024);
        String advice = "free space on " + mount + ": " + on() + "du -xsh " + mount + "/* | sort -h | tail; old releases go with"
                + " keep_releases, logs with logrotate (/var/log/supervisor, /var/log/nginx)";
        if (pct < DISK_FAIL_PERCENT) {
            fail(check, evidence, advice);
        } else if (pct < DISK_WARN_PERCENT) {
            warn(check, evidence, advice);
        } else {
            ok(check, evidence);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // runtimes

    /** Whether an installed version ({@code v18.19.0}, {@code Python 3.11.2}) is the one asked ({@code 18}, {@code v18.19}, {@code 3.11.2}). */
    static boolean sameVersion(String installed, String wanted) {
        String have = installed.replaceFirst("^(Python |v)", "").strip();
        String want = wanted.replaceFirst("^v", "").strip();
        return have.equals(want) || have.startsWith(want + ".");
    }

    private void runtimes() {
        String venv = f.one("venv_python");
        String python = venv.startsWith("Python ") ? venv : f.one("python3");
        String where = venv.startsWith("Python ") ? " (the live release's virtualenv)" : " (python3)";
        if (e.pythonVersion().isEmpty()) {
            ok("python", python + where);
        } else if (!python.startsWith("Python ")) {
            fail("python", "no Python: " + python, "install it: catalogue-ops provision " + e.environment() + " --tags runtimes");
        } else if (sameVersion(python, e.pythonVersion())) {
            ok("python", python + where + ", as pyenv_python_version says");
        } else {
            fail("python", python + where + ", pyenv_python_version says " + e.pythonVersion(), "install it with catalogue-ops"
                    + " provision " + e.environment() + " --tags runtimes, then deploy (a new virtualenv is made on it)");
        }
        List<String> pyenv = f.all("pyenv_version").stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!pyenv.isEmpty()) {
            String keep = e.pythonVersion().isEmpty() ? f.one("pyenv_global") : e.pythonVersion();
            List<String> old = pyenv.stream().filter(v -> !v.equals(keep)).toList();
            if (old.isEmpty()) {
                ok("pyenv versions", String.join(", ", pyenv));
            } else {
                warn("pyenv versions", "left behind in ~/.pyenv/versions: " + String.join(", ", old) + " (in use: " + keep + ")",
                        "remove them once no release uses them: " + on() + String.join("; ", old.stream()
                        .map(v -> "pyenv uninstall -f " + v).toList()));
            }
        }
        String node = f.one("node");
        if (e.nodeVersion().isEmpty()) {
            ok("node", node.startsWith("v") ? node : "no node: " + node);
        } else if (!node.startsWith("v")) {
            fail("node", "no node: " + node, "install it: catalogue-ops provision " + e.environment() + " --tags runtimes");
        } else if (sameVersion(node, e.nodeVersion())) {
            ok("node", node + ", as nvm_node_version says");
        } else {
            fail("node", node + ", nvm_node_version says " + e.nodeVersion(), "install it with catalogue-ops provision "
                    + e.environment() + " --tags runtimes (node and npm are linked into /usr/local/bin), then deploy");
        }
    }
}
