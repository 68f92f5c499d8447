package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.testbed.DatabaseHost;
import fr.gouv.data.catalogue.ops.testbed.LoadGenerator;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A deploy that dies at each of its steps in turn, killed (SIGKILL of the real command line) or
 * cut off (the web host's network link down): the site keeps serving a healthy release all along,
 * under load through nginx, and the next deploy takes the stale lock over, says so, cleans what the
 * dead one left (the idle side's programs, its half-made release) and succeeds. One web host,
 * which is its own database server: a partition of the web host must not also cut the app from
 * its database, or no release could be healthy during it.
 *
 * <p>Every faulty deploy alternates between two versions that both build, start and switch
 * ({@code v2} and the branch {@code feature/tag-count}), so each one does the real work; the next
 * deploy retries the same version, as a person would.
 *
 * <p>Where the fault lands: the progress line of a step is printed when the step ends, so a fault
 * "at step S" is made the instant the line of the step before S is read (for the first step, the
 * instant the lock is taken): whether S then finished or not, the outcome asserted is the same.
 * To make the last point (the audit record, just before the lock is released) land for sure, the
 * audit log is a named pipe during a faulty deploy: its append waits there for a reader until the
 * fault is made, and the log is put back afterwards.
 */
@Testbed(hosts = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployFaultTest {
    static final String A = "v2";
    static final String B = "feature/tag-count";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path ops;
    static String env;
    static Path repo;
    static CliRun cli;
    static String live;

    /** A step, and what shows that the deploy has just begun it. */
    record Point(String step, String after) {
        @Override
        public String toString() {
            return step;
        }
    }

    static final String LOCK_TAKEN = "(the lock is taken)";
    static final String AUDIT_WAITING = "(the audit record waits to be written)";

    static final List<Point> ALL = List.of(new Point("code", LOCK_TAKEN), new Point(".env", "code"), new Point("venv", ".env"),
            new Point("node modules", "venv"), new Point("build", "node modules"), new Point("migrate", "build"),
            new Point("start", "migrate"), new Point("health", "start"), new Point("switch", "health"),
            new Point("verify", "switch"), new Point("standby", "verify"), new Point("current", "standby"),
            new Point("prune", "current"), new Point("audit", AUDIT_WAITING));

    /**
     * Each fault at every step is 30 deploys that fail and 30 that recover (about 20 minutes on a
     * busy 2-core machine): too long for every run of the suite. By default each kind of fault
     * is made at the points where a deploy changes what serves (before anything, around the
     * switch, after it, at the very end); {@code -DdeployFault.points=all} makes every point,
     * {@code -DdeployFault.points=build,switch} those.
     */
    static Stream<Point> points(List<String> byDefault) {
        String only = System.getProperty("deployFault.points", "");
        List<String> chosen = only.isBlank() ? byDefault : only.equals("all") ? ALL.stream().map(Point::step).toList()
                : List.of(only.split(","));
        return ALL.stream().filter(p -> chosen.contains(p.step()));
    }

    static Stream<Point> killPoints() {
        return points(List.of("code", "switch", "current", "audit"));
    }

    static Stream<Point> cutPoints() {
        return points(List.of("build", "switch", "standby", "audit"));
    }

    static String[] args(String... more) {
        return CliRun.concat(new String[] {"--ops-dir", ops.toString()}, more);
    }

    static String commit(String ref) throws Exception {
        Process p = new ProcessBuilder("git", "--git-dir", repo.toString(), "rev-parse", ref + "^{commit}").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    static Path workdir(TestHost web) {
        return web.root().resolve("root/catalogage");
    }

    @Test
    @Order(1)
    void setUp(TestHosts hosts) throws Exception {
        ops = tmp.resolve("ops/ansible");
        env = hosts.name();
        repo = tmp.resolve("catalogue-app.git");
        Process make = new ProcessBuilder("../examples/make-app-repo", repo.toString()).redirectErrorStream(true).start();
        String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, make.waitFor(), made);
        TestHost web = hosts.host(0);
        DatabaseHost.Database db = DatabaseHost.provision(hosts, web, List.of(web), "catalogue", "catalogue", "fault-test-pw");
        Path dir = ops.resolve("environments").resolve(env);
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(ops.resolve("group_vars"));
        Files.writeString(ops.resolve("group_vars/web.yml"), "workdir: \"{{ ansible_env.HOME }}/catalogage\"\n"
                + "git_repo: \"" + repo + "\"\napi_port: 3579\nclient_port: 3000\ndomain_name: \"{{ inventory_hostname }}\"\n");
        // a host silent for about 4 s counts as lost (keep-alive every second, three misses)
        Files.writeString(dir.resolve("hosts"), "[web]\n" + web.name() + " ansible_host=" + web.address() + " ansible_user=root\n\n"
                + "[all:vars]\nansible_ssh_private_key_file=" + hosts.privateKey() + "\n"
                + "ansible_ssh_common_args='-o ServerAliveInterval=1'\n");
        Files.copy(hosts.knownHosts(), dir.resolve("known_hosts"));
        Files.writeString(dir.resolve("group_vars/web.yml"), "tls_enabled: false\npython_runtime: system\nnode_runtime: system\n"
                + "client_url: \"http://{{ domain_name }}\"\ndatapass_url: \"http://datapass.invalid\"\n"
                + "system_packages: " + DeployCommandTest.PACKAGES + "\nvenv_system_site_packages: true\npip_no_index: true\n");
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, TestbedEnvironment.ensureVaultPassword(ops));
        Files.write(dir.resolve("secrets"), new Vault(List.of(secret)).encrypt(("secret_key: 'fault-test-secret'\ndatabase_url: '"
                + db.url() + "'\ndatapass_client_id: 'x'\ndatapass_client_secret: 'y'\n").getBytes(StandardCharsets.UTF_8), secret));
        cli = new CliRun(tmp);
        cli.env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        cli.run(args("provision", env));
        assertEquals(0, cli.exitCode, cli.toString());
        for (String v : List.of(B, A)) {
            cli.run(args("deploy", env, "--git-version", v));
            assertEquals(0, cli.exitCode, cli.toString());
        }
        live = A;
        assertEquals(commit(A), Health.outside(web).version(), "A serves");
    }

    /** 100 requests/s through nginx, a new connection each; slow is not failed here (how fast belongs to the benchmarks). */
    static LoadGenerator load(TestHost web, String path) throws Exception {
        return LoadGenerator.start(LoadGenerator.Settings.of(URI.create("http://" + web.address() + path), 100, Duration.ofMinutes(20),
                LoadGenerator.Mode.NEW_CONNECTION).withWorkers(50).withTimeout(Duration.ofSeconds(10)));
    }

    /**
     * A release healthy on its own port but not through nginx: the deploy switches, the check
     * through nginx fails, traffic goes back at once, the release is stopped and marked failed.
     * What users asked meanwhile (the page, the API's data) was answered: the release's fault is
     * in its health answer behind a proxy, which only the check reads.
     */
    @Test
    @Order(2)
    void aReleaseUnhealthyThroughNginxIsSwitchedBackUnderLoad(TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        String before = commit(live);
        LoadGenerator page = load(web, "/");
        LoadGenerator api = load(web, "/api/datasets");
        cli.run(args("deploy", env, "--git-version", "v6-unhealthy-behind-nginx", "--json"));
        page.close();
        api.close();
        assertEquals(1, cli.exitCode, cli.toString());
        JsonNode doc = JSON.readTree(cli.out);
        JsonNode h = doc.get("hosts").get(web.name());
        assertEquals("switched back", h.get("result").asText(), cli.out);
        assertTrue(doc.get("message").asText().startsWith("unhealthy after the switch, traffic went back to the previous release"),
                cli.out);
        List<String> steps = new ArrayList<>();
        h.get("steps").forEach(st -> steps.add(st.get("step").asText() + "=" + st.get("status").asText()));
        assertTrue(steps.contains("health=ok") && steps.contains("switch=changed") && steps.contains("verify=failed")
                && steps.contains("switch back=changed") && steps.contains("clean up=changed"), steps.toString());
        assertFalse(steps.contains("drain=ok") || steps.contains("stop old side=changed") || steps.contains("standby=ok"),
                steps.toString());
        JsonNode verify = null;
        for (JsonNode st : h.get("steps")) {
            verify = st.get("step").asText().equals("verify") ? st : verify;
        }
        assertTrue(verify.get("message").asText().contains("answered 500"), verify.toString());
        assertEquals(before, Health.outside(web).version(), "the release live before serves");
        String release = h.get("release").asText();
        assertEquals("failed", JSON.readTree(Files.readString(workdir(web).resolve("releases/" + release + "/.release.json")))
                .get("state").asText());
        assertFalse(Files.exists(workdir(web).resolve(".deploy-lock")), "the lock is free");
        HostLayout after = HostLayout.read(web);
        assertEquals(List.of(), after.idleListening(), "the failed release's programs are stopped: " + after);
        for (LoadGenerator g : List.of(page, api)) {
            LoadGenerator.Report r = g.report();
            System.out.println("v6-unhealthy-behind-nginx switched back: load through nginx " + r.toJson());
            assertEquals(0, r.failed(), "failed requests: " + r.toJson());
            assertTrue(r.ok() >= 100, "requests answered: " + r.toJson());
        }
    }

    @ParameterizedTest(name = "SIGKILL at {0}")
    @MethodSource("killPoints")
    @Order(3)
    void aKilledDeployLeavesTheSiteServingAndTheNextOneTakesOver(Point point, TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        String version = live.equals(A) ? B : A;
        HostLayout before = HostLayout.read(web);
        assertFalse(Files.exists(workdir(web).resolve(".deploy-lock")), "the lock is free before the faulty deploy");
        LoadGenerator load = load(web, "/");
        try (AuditPipe pipe = new AuditPipe(web); FaultyDeploy deploy = new FaultyDeploy(web, version)) {
            deploy.awaitPoint(point, pipe);
            deploy.process.destroyForcibly();
            assertTrue(deploy.process.waitFor(30, TimeUnit.SECONDS), "the process ends on SIGKILL");
            assertTrue(Files.exists(workdir(web).resolve(".deploy-lock")), "SIGKILL left the lock:\n" + deploy.output());
            Health h = Health.outside(web);
            assertServesOneOf(web, h, before, version, point, deploy.output());
        }
        recoverAndCheck(web, version, point);
        load.close();
        LoadGenerator.Report r = load.report();
        System.out.println("SIGKILL at " + point + ": load through nginx " + r.toJson());
        assertEquals(0, r.failed(), "failed requests with a deploy killed at " + point + ": " + r.toJson());
        assertTrue(r.ok() >= 100, "requests answered: " + r.toJson());
    }

    @ParameterizedTest(name = "network cut at {0}")
    @MethodSource("cutPoints")
    @Order(4)
    void aDeployCutFromTheHostFailsInBoundedTimeAndTheNextOneTakesOver(Point point, TestHosts hosts) throws Exception {
        TestHost web = hosts.host(0);
        String version = live.equals(A) ? B : A;
        HostLayout before = HostLayout.read(web);
        assertFalse(Files.exists(workdir(web).resolve(".deploy-lock")), "the lock is free before the faulty deploy");
        // the load runs inside the host's network namespace, against nginx on loopback: from this
        // machine, nothing reaches the host during the partition, so a generator outside would
        // only measure the cut itself
        try (InsideLoad load = new InsideLoad(web)) {
            try (AuditPipe pipe = new AuditPipe(web); FaultyDeploy deploy = new FaultyDeploy(web, version)) {
                deploy.awaitPoint(point, pipe);
                hosts.partition(web);
                try {
                    // a minute and a half bounds it; the keep-alive (about 4 s) is what ends it
                    assertTrue(deploy.process.waitFor(90, TimeUnit.SECONDS), "the deploy notices the cut in bounded time:\n"
                            + deploy.output());
                    String out = deploy.output();
                    // cut while writing the audit record, the release is live already: the deploy
                    // succeeded, and says that the record and the lock's release did not happen
                    assertEquals(point.step().equals("audit") ? 0 : 1, deploy.process.exitValue(), out);
                    assertTrue(out.contains("connection lost"), "one clear line names the lost connection:\n" + out);
                    assertFalse(out.contains("internal error"), out);
                    assertServesOneOf(web, Health.inside(web), before, version, point, out);
                } finally {
                    hosts.heal(web);
                }
                awaitSsh(web);
            }
            recoverAndCheck(web, version, point);
            JsonNode r = load.stop();
            System.out.println("network cut at " + point + ": load inside the host " + r);
            assertEquals(0, r.get("failed").asLong(), "failed requests inside the host with the network cut at " + point + ": " + r);
            assertTrue(r.get("ok").asLong() >= 100, "requests answered: " + r);
        }
    }

    /** Until the host's SSH port accepts a connection again (the link is up), within a minute. */
    static void awaitSsh(TestHost web) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(web.address(), TestHost.SSH_PORT), 2000);
                return;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > end) {
                    throw new AssertionError(web.name() + " does not answer on port 22 a minute after the heal");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Serving a healthy release: the one live before, or (only once the switch could have begun) the new one. */
    static void assertServesOneOf(TestHost web, Health h, HostLayout before, String version, Point point, String output)
            throws Exception {
        boolean switchBegun = List.of("switch", "verify", "standby", "current", "prune", "audit").contains(point.step());
        List<String> allowed = switchBegun ? List.of(commit(live), commit(version)) : List.of(commit(live));
        assertEquals(200, h.status(), "the API through nginx is healthy: " + h + "\n" + output + "\n" + logs(web));
        assertTrue(allowed.contains(h.version()), "serving " + h.version() + ", expected one of " + allowed + "\n" + output);
        assertEquals(200, h.pageStatus(), "the page through nginx: " + h);
        assertTrue(h.page().contains("api " + h.version()), "the page and the API are of one release (never half-switched): " + h);
    }

    /** The end of the programs' logs and nginx's error log, for a failure's message. */
    static String logs(TestHost web) {
        StringBuilder out = new StringBuilder();
        for (String f : List.of("var/log/supervisor/catalogue-server-blue.log", "var/log/supervisor/catalogue-client-blue.log",
                "var/log/supervisor/catalogue-server-green.log", "var/log/supervisor/catalogue-client-green.log",
                "var/log/nginx/error.log")) {
            try {
                List<String> lines = Files.readAllLines(web.root().resolve(f));
                out.append("--- ").append(f).append('\n').append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15),
                        lines.size()))).append('\n');
            } catch (Exception e) {
                out.append("--- ").append(f).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** The next deploy of the same version: takes the stale lock over, says so, succeeds, and leaves one clean side. */
    static void recoverAndCheck(TestHost web, String version, Point point) throws Exception {
        // the release that was live stays up as the standby when traffic is on its side as the fault left it (then
        // the deploy leaves it); not when traffic is on the dead deploy's side (its release is stopped, never kept)
        HostLayout faulted = HostLayout.read(web);
        boolean standby = faulted.nginxSide.equals(faulted.liveSide);
        Path lock = workdir(web).resolve(".deploy-lock");
        assertTrue(Files.exists(lock.resolve("heartbeat")), "the dead deploy's lock is there");
        // a minute without heartbeat, without waiting a minute
        Files.setLastModifiedTime(lock.resolve("heartbeat"), FileTime.fromMillis(System.currentTimeMillis() - 2 * 60_000));
        cli.run(args("deploy", env, "--git-version", version));
        assertEquals(0, cli.exitCode, "the next deploy after a fault at " + point + ": " + cli);
        assertTrue(cli.out.contains("taking over a stale lock"), cli.out);
        assertFalse(Files.exists(lock), "released at the end");
        live = version;
        Health h = Health.outside(web);
        assertEquals(commit(version), h.version(), h.toString());
        HostLayout after = HostLayout.read(web);
        assertEquals(1, after.liveManifests, "one release marked live: " + after);
        assertEquals(0, after.prepared, "no half-made release left unmarked: " + after);
        assertTrue(after.failed <= 1, "failed releases beyond the newest one are pruned: " + after);
        assertEquals(0, after.withoutManifest, "no folder of a dead unpack: " + after);
        assertEquals(after.liveSide, after.nginxSide, "nginx sends traffic to the live release's side: " + after);
        if (standby) {
            assertEquals(java.util.Set.copyOf(after.idlePorts), java.util.Set.copyOf(after.idleListening),
                    "the previous release runs on the idle side, as the standby: " + after + "; after the fault: " + faulted);
        } else {
            // the old side stops on the host once nginx's old workers are done, after the deploy has returned
            awaitIdleSideStopped(web, "nothing runs on the idle side; after the fault: " + faulted);
        }
    }

    /** Waits (a minute at most) until nothing listens on the idle side's ports. */
    static void awaitIdleSideStopped(TestHost web, String what) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HostLayout now = HostLayout.read(web);
        while (!now.idleListening.isEmpty()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 60 s: " + what + ": " + now);
            }
            Thread.sleep(100);
            now = HostLayout.read(web);
        }
    }

    /** What is on the host: the manifests, the side nginx uses, the ports listened on. */
    record HostLayout(int liveManifests, int prepared, int failed, int withoutManifest, String liveSide, String nginxSide,
               List<Integer> idlePorts, List<Integer> idleListening) {
        static HostLayout read(TestHost web) throws Exception {
            int liveCount = 0;
            int prepared = 0;
            int failed = 0;
            int bare = 0;
            String liveSide = "";
            String liveId = "";
            try (Stream<Path> dirs = Files.list(workdir(web).resolve("releases"))) {
                for (Path d : dirs.toList()) {
                    Path m = d.resolve(".release.json");
                    if (!Files.exists(m)) {
                        bare++;
                        continue;
                    }
                    JsonNode n = JSON.readTree(Files.readString(m));
                    switch (n.path("state").asText()) {
                        case "live" -> {
                            liveCount++;
                            // as the deploy reads it: of two marked live (a deploy cut between its writes), the newer
                            if (n.path("id").asText().compareTo(liveId) > 0) {
                                liveId = n.path("id").asText();
                                liveSide = n.path("side").asText();
                            }
                        }
                        case "prepared" -> prepared++;
                        case "failed" -> failed++;
                        default -> { }
                    }
                }
            }
            String upstreams = Files.readString(web.root().resolve("etc/nginx/catalogue-upstreams.conf"));
            String nginxSide = upstreams.contains(":3579;") ? "blue" : upstreams.contains(":3580;") ? "green" : "?";
            List<Integer> idle = nginxSide.equals("blue") ? List.of(3580, 3001) : List.of(3579, 3000);
            List<Integer> listening = new ArrayList<>(listening(web));
            listening.retainAll(idle);
            return new HostLayout(liveCount, prepared, failed, bare, liveSide, nginxSide, idle, listening);
        }
    }

    /** The TCP ports listened on in the host's network namespace. */
    static List<Integer> listening(TestHost web) throws Exception {
        String out = inside(web, "cat", "/proc/net/tcp", "/proc/net/tcp6");
        List<Integer> ports = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 3 && f[3].equals("0A")) {
                ports.add(Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
            }
        }
        return ports;
    }

    /** Runs a command of this machine inside the host's network namespace. */
    static String inside(TestHost web, String... argv) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", web.netns()));
        all.addAll(List.of(argv));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ip netns exec ... " + String.join(" ", argv));
        return out;
    }

    /** The API's health and the page through nginx. */
    record Health(int status, String version, int pageStatus, String page) {
        /** From this machine, through the host's link. */
        static Health outside(TestHost web) throws Exception {
            return read(web, "http://" + web.address());
        }

        /** From inside the host's network namespace, to nginx on loopback: what the host serves while cut off. */
        static Health inside(TestHost web) throws Exception {
            return read(web, "inside:");
        }

        private static Health read(TestHost web, String base) throws Exception {
            String[] api = get(web, base, "/api/health");
            String[] page = get(web, base, "/");
            String version = api[0].equals("200") ? JSON.readTree(api[1]).path("version").asText() : api[1];
            return new Health(Integer.parseInt(api[0]), version, Integer.parseInt(page[0]), page[1]);
        }

        private static String[] get(TestHost web, String base, String path) throws Exception {
            String url = base.equals("inside:") ? "http://127.0.0.1" + path : base + path;
            List<String> curl = List.of("curl", "-s", "-m", "10", "-w", "\n%{http_code}", url);
            String out;
            if (base.equals("inside:")) {
                out = DeployFaultTest.inside(web, curl.toArray(String[]::new));
            } else {
                Process p = new ProcessBuilder(curl).redirectErrorStream(true).start();
                out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(30, TimeUnit.SECONDS);
            }
            int nl = out.lastIndexOf('\n');
            String code = out.substring(nl + 1).strip();
            return new String[] {code.matches("[0-9]{3}") ? code : "0", nl < 0 ? out : out.substring(0, nl)};
        }
    }

    /** The real command line, in its own JVM, its progress read line by line as it comes. */
    static final class FaultyDeploy implements AutoCloseable {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final TestHost web;
        private final Thread reader;

        FaultyDeploy(TestHost web, String version) throws Exception {
            this.web = web;
            List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "fr.gouv.data.catalogue.ops.cli.Main"));
            argv.addAll(List.of(args("deploy", env, "--git-version", version)));
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (java.io.IOException ended) {
                    // the process is gone
                }
            }, "fault-test-cli-output");
            reader.start();
        }

        /** Returns the instant the deploy has begun the point's step. */
        void awaitPoint(Point point, AuditPipe pipe) throws InterruptedException {
            BooleanSupplier reached = switch (point.after()) {
                case LOCK_TAKEN -> () -> {
                    try {
                        return Files.readString(workdir(web).resolve(".deploy-lock/lock.json")).contains("\"pid\":" + process.pid());
                    } catch (java.io.IOException notYet) {
                        return false;
                    }
                };
                case AUDIT_WAITING -> pipe::writerWaiting;
                default -> () -> {
                    synchronized (lines) {
                        return lines.stream().anyMatch(l -> l.matches("\\s+\\S+\\s+" + java.util.regex.Pattern.quote(web.name()
                                + " | " + point.after() + " (") + ".*"));
                    }
                };
            };
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!reached.getAsBoolean()) {
                if (!process.isAlive() || System.nanoTime() > end) {
                    throw new AssertionError("the deploy never reached " + point + ":\n" + output());
                }
                Thread.onSpinWait();
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    /**
     * The audit log as a named pipe while a faulty deploy runs: its append blocks until the fault.
     * Closing releases a writer still waiting (opened read-write, the pipe never blocks this side)
     * and puts the real log back.
     */
    static final class AuditPipe implements AutoCloseable {
        private final Path log;
        private final Path kept;
        private final String netns;

        AuditPipe(TestHost web) throws Exception {
            netns = web.netns();
            log = workdir(web).resolve("deploy-history.jsonl");
            kept = workdir(web).resolve("deploy-history.jsonl.kept");
            Files.move(log, kept);
            Process p = new ProcessBuilder("mkfifo", "-m", "0644", log.toString()).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor());
        }

        /**
         * The append of the audit record, waiting on the pipe: its shell is visible from here (test
         * hosts' PIDs are below ours), and it is this host's when it is in the host's network
         * namespace (other test hosts on the machine may be deploying too).
         */
        Optional<ProcessHandle> writer() {
            return ProcessHandle.allProcesses().filter(ph -> ph.info().arguments().map(a -> String.join(" ", a))
                    .filter(a -> (a.contains("cat >> ") || a.contains(">> \"$1\"")) && a.contains("/catalogage/deploy-history.jsonl"))
                    .isPresent())
                    .filter(ph -> inHostNamespace(ph.pid())).findFirst();
        }

        private boolean inHostNamespace(long pid) {
            try {
                String link = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
                return link.equals("net:[" + Files.getAttribute(Path.of("/run/netns/" + netns), "unix:ino") + "]");
            } catch (java.io.IOException | UnsupportedOperationException gone) {
                return false;
            }
        }

        boolean writerWaiting() {
            return writer().isPresent();
        }

        @Override
        public void close() throws Exception {
            Optional<ProcessHandle> w = writer();
            if (w.isPresent()) {
                try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (w.get().isAlive() && System.nanoTime() < end) {
                        Thread.sleep(20);
                    }
                }
            }
            Files.delete(log);
            Files.move(kept, log);
        }
    }

    /** A load generator in the host's network namespace (a JVM of this machine there), against nginx on loopback. */
    static final class InsideLoad implements AutoCloseable {
        private final Process process;
        private final Path out;

        InsideLoad(TestHost web) throws Exception {
            out = Files.createTempFile(tmp, "inside-load", ".json");
            process = new ProcessBuilder("ip", "netns", "exec", web.netns(), Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(), "http://127.0.0.1/", "100",
                    "1200", "new-connection", "--workers", "50", "--timeout-ms", "10000").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        }

        /** Stops it (SIGTERM: it prints its report) and reads the report. */
        JsonNode stop() throws Exception {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the load generator stops");
            String text = Files.readString(out).strip();
            return JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
