package fr.gouv.data.catalogue.ops.internal.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.access.HostAccess;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostFacts;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.internal.staging.GitCredentials;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import fr.gouv.data.catalogue.ops.report.HostDeploy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A deploy or a rollback of an environment, in the order that keeps the site serving: the lock
 * on the first web host, the hosts' state read, the new release prepared on every host beside the
 * live one (code, .env, virtualenv, node modules, build), migrations once on the first host, the
 * new programs started on the idle side and health-checked on their own ports; only then nginx
 * switched and verified; the old side either stays up as the standby or stops on the host once
 * nginx's old workers have finished with it. A failure before the switch leaves the
 * live side untouched (new programs stopped, release marked failed); an unhealthy answer after
 * the switch switches back. The lock is released last, also on Ctrl-C and SIGTERM.
 */
public final class Deployment {
    /** What to deploy and how. {@code gitVersion} null: the environment's {@code git_version}; {@code serial} 0: all hosts at once. */
    public record Request(String gitVersion, boolean check, Set<String> limit, int serial, Duration waitFor, Path cacheRoot,
                          Map<String, String> environment) {
        public Request {
            limit = Set.copyOf(limit);
            environment = Map.copyOf(environment);
        }
    }

    static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);
    /**
     * How long the answer through nginx may take to be accepted after the switch. Short: the new
     * programs already answered on their own ports, and the switch returns once nginx's new
     * workers serve, so a bad answer now is the release's, and every second of it reaches users.
     */
    static final Duration VERIFY_LIMIT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Environment env;
    private final HostAccess access;
    private final SecretTexts secretTexts;
    private Masking masking;
    private final DeployListener listener;
    private final Request request;
    private final String user;
    private final String from;

    /** The texts to mask in what is shown (the secrets' values and the vault passwords), asked for once the secrets are read. */
    @FunctionalInterface
    public interface SecretTexts {
        List<String> get() throws OpsException;
    }

    public Deployment(Environment env, HostAccess access, List<String> secrets, DeployListener listener, Request request) {
        this(env, access, () -> secrets, listener, request);
    }

    /**
     * A deployment whose secret texts are asked for only once a host's variables (secrets
     * included) have been read: the secrets' decryption then overlaps the first SSH handshakes.
     */
    public Deployment(Environment env, HostAccess access, SecretTexts secrets, DeployListener listener, Request request) {
        this.env = env;
        this.access = access;
        this.secretTexts = secrets;
        this.listener = listener;
        this.request = request;
        this.user = user(request.environment());
        this.from = origin(request.environment());
    }

    /** What is masked in every text shown; the secrets must have been read (a host's variables) or be readable now. */
    private synchronized Masking masking() throws OpsException {
        if (masking == null) {
            masking = new Masking(secretTexts.get());
        }
        return masking;
    }

    /** The masking of a run that has reached a host (which read the secrets and made it). */
    private synchronized Masking shown() {
        if (masking == null) {
            throw new IllegalStateException("no host reached yet: the secrets to mask are not known");
        }
        return masking;
    }

    /** Who deploys: the user who started the CI build ({@code BUILD_USER_ID}) when known, else this process's user. */
    static String user(Map<String, String> environment) {
        String buildUser = environment.get("BUILD_USER_ID");
        return buildUser != null && !buildUser.isBlank() ? buildUser.strip() : System.getProperty("user.name", "?");
    }

    /** Where from: the CI build (job, number and URL) when there is one, else this machine's name. */
    public static String origin(Map<String, String> environment) {
        String build = environment.get("BUILD_URL");
        if (build != null && !build.isBlank()) {
            String job = environment.get("JOB_NAME");
            String number = environment.get("BUILD_NUMBER");
            return job != null && !job.isBlank() && number != null && !number.isBlank() ? job + " #" + number + " (" + build + ")"
                    : build;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return environment.getOrDefault("HOSTNAME", "?");
        }
    }

    /** The hosts a request works on, or a one-line error for an unknown host or a bad serial. */
    public static List<String> hosts(Environment env, Set<String> limit, int serial) throws ConfigException {
        if (serial < 0) {
            throw new BadOptionException("serial", "must be 0 (all hosts at once) or more (got " + serial + ")");
        }
        Set<String> known = new LinkedHashSet<>(env.webHosts());
        if (known.isEmpty()) {
            throw new ConfigException(env.name() + ": no host in group [web]");
        }
        for (String h : limit) {
            if (!known.contains(h)) {
                throw new BadOptionException("limit", h + ": no such host in " + env.name() + "; hosts: " + String.join(", ", known));
            }
        }
        return known.stream().filter(h -> limit.isEmpty() || limit.contains(h)).toList();
    }

    // ---------------------------------------------------------------------------------------------
    // deploy

    public DeployReport deploy() throws OpsException, InterruptedException {
        long start = System.nanoTime();
        List<String> selected = hosts(env, request.limit(), request.serial());
        env.prefetchSecrets();
        // the handshakes begin at once, while the secrets are decrypted and the commit resolved: nothing
        // is asked of a host before both are known (a vault that cannot be opened, a bad setting or an
        // unknown ref closes the connections and is the error shown)
        Connecting connecting = new Connecting(selected);
        String repo;
        String ref;
        String mode;
        CodeArchive.Resolved pushed;
        try {
            HostVariables first = env.variables(env.webHosts().get(0));
            if (!first.isDefined("git_repo") || String.valueOf(first.get("git_repo")).isBlank()) {
                throw new ConfigException(env.name() + ": git_repo is not defined; set it in group_vars (the app's repository URL)");
            }
            mode = first.isDefined("deploy_code") ? String.valueOf(first.get("deploy_code")).strip() : "push";
            if (!mode.equals("push") && !mode.equals("pull")) {
                throw new ConfigException(env.name() + ": deploy_code " + mode + " is neither push (this machine sends the commit's"
                        + " files, the default) nor pull (the hosts fetch git_repo); fix deploy_code in group_vars");
            }
            repo = String.valueOf(first.get("git_repo")).strip();
            ref = request.gitVersion() != null ? request.gitVersion() : String.valueOf(first.get("git_version")).strip();
            // push: resolved here; pull: on the first web host, which must reach the repository (this
            // machine may not), before the lock and before anything else on any host
            pushed = mode.equals("push") ? requireKeyFiles(CodeArchive.resolve(request.cacheRoot(), repo, ref,
                    GitCredentials.fromEnvironment(request.environment())), ref) : null;
        } catch (OpsException | RuntimeException e) {
            connecting.abandon();
            throw e;
        }
        pullFrom = pushed == null ? repo : null;
        Map<String, DeployHost> hosts = connecting.join();
        try {
            DeployHost lockHost = hosts.get(env.webHosts().get(0));
            CodeArchive.Resolved code = pushed != null ? pushed : requireKeyFiles(resolveOnHost(lockHost, repo, ref), ref);
            try (HeldLock lock = request.check() ? null : takeLock(lockHost, "deploy", ref)) {
                readStates(hosts.values(), lock == null ? null : lockHost);
                List<DeployHost> targets = selected.stream().map(hosts::get).toList();
                String id = newReleaseId(Instant.now(), code.commit(), targets);
                for (DeployHost h : targets) {
                    plan(h, code, id);
                }
                List<DeployHost> work = targets.stream().filter(h -> !h.result.equals("unchanged")).toList();
                if (request.check()) {
                    for (DeployHost h : work) {
                        h.result = "would deploy";
                    }
                    return report("deploy", code.commit(), ref, "check mode: nothing was changed", targets, start);
                }
                if (work.isEmpty()) {
                    return report("deploy", code.commit(), ref, "already live: " + ref + " (" + code.commit().substring(0, 7)
                            + ") with the same settings; nothing to do", targets, start);
                }
                String outcome = prepareAndSwitch(work, code, ref, id, lock);
                return report("deploy", code.commit(), ref, outcome, targets, start);
            }
        } finally {
            hosts.values().forEach(DeployHost::close);
        }
    }

    /** The repository the hosts fetch from ({@code deploy_code: pull}), null when this machine sends the code. */
    private String pullFrom;

    private static CodeArchive.Resolved requireKeyFiles(CodeArchive.Resolved code, String ref) throws ConfigException {
        for (String f : List.of("requirements.txt", "client/package-lock.json")) {
            if (!code.keyFiles().containsKey(f)) {
                throw new ConfigException(ref + " (" + code.commit().substring(0, 7) + ") has no " + f
                        + "; the deploy needs it to build the release; nothing was changed");
            }
        }
        return code;
    }

    /** {@code deploy_code: pull}: the commit resolved by the host, from its own fetch of {@code git_repo}. */
    private static CodeArchive.Resolved resolveOnHost(DeployHost h, String repo, String ref) throws OpsException {
        ExecResult r = h.asApp(PullCode.resolve(h.layout, repo, ref));
        return PullCode.parse(h.name, repo, ref, r.exitCode(), r.stdout(), h.tail(r, 3));
    }

    private void plan(DeployHost h, CodeArchive.Resolved code, String id) throws OpsException {
        HostState s = h.state;
        if (s.error() != null) {
            throw new ConfigException(h.name + ": " + s.error() + "; fix workdir in group_vars");
        }
        if (!s.siteIncludesUpstreams()) {
            throw new ConfigException(h.name + ": the nginx site does not include " + Nginx.UPSTREAMS + "; run catalogue-ops"
                    + " provision " + env.name() + " first");
        }
        h.liveSide = liveSide(h);
        h.newSide = h.liveSide.other();
        h.live = s.live().orElse(null);
        String settings = settingsDigest(h, h.newSide, id);
        String liveSettings = h.live == null ? null : settingsDigest(h, h.liveSide, h.live.id());
        if (h.live != null && h.live.commit().equals(code.commit()) && h.live.side() == h.liveSide
                && h.live.settings().equals(liveSettings) && s.settled()) {
            h.result = "unchanged";
            h.message = "already live: " + h.live.id() + " on " + h.liveSide.id();
            h.release = h.live;
            return;
        }
        h.release = new ReleaseManifest(id, code.commit(), code.ref(), user, from, Instant.now().toString(), ReleaseState.PREPARED,
                h.newSide, settings);
        h.reusedVenv = s.venvs().contains(venvKey(h, code));
        h.reusedNode = s.nodeModules().contains(nodeKey(code));
        if (request.check()) {
            h.message = "would start " + id + " on " + h.newSide.id() + " (ports " + h.settings.ports().of(h.newSide).api() + "/"
                    + h.settings.ports().of(h.newSide).client() + ")" + (h.live == null ? "" : ", replacing " + h.live.id())
                    + "; venv " + (h.reusedVenv ? "reused" : "built") + ", node modules " + (h.reusedNode ? "reused" : "built");
        }
    }

    private Side liveSide(DeployHost h) throws ConfigException {
        if (!h.state.upstreamsPresent()) {
            return Side.BLUE;
        }
        Side side = h.state.upstreams() == null ? null : h.settings.ports().sideOf(h.state.upstreams());
        if (side == null) {
            throw new ConfigException(h.name + ": " + Nginx.UPSTREAMS + " sends traffic to ports that are neither side's"
                    + " (api_port/client_port, api_alt_port/client_alt_port); fix the ports or the file");
        }
        return side;
    }

    /** A digest of what a release runs with on a side: its .env and its program file. */
    private String settingsDigest(DeployHost h, Side side, String id) throws OpsException {
        Side.Ports p = h.settings.ports().of(side);
        return CodeArchive.sha256(dotEnv(h, p).getBytes(StandardCharsets.UTF_8),
                Supervisor.render(side, p, h.layout.release(id).replace(id, "*"), h.settings.appUser())
                        .getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private String venvKey(DeployHost h, CodeArchive.Resolved code) {
        return CodeArchive.sha256(code.keyFiles().get("requirements.txt"), h.settings.python().getBytes(StandardCharsets.UTF_8),
                h.state.pythonVersion().getBytes(StandardCharsets.UTF_8),
                String.valueOf(h.settings.systemSitePackages()).getBytes(StandardCharsets.UTF_8),
                String.join(" ", h.settings.pipOptions()).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String nodeKey(CodeArchive.Resolved code) {
        return CodeArchive.sha256(code.keyFiles().get("client/package-lock.json")).substring(0, 16);
    }

    private String dotEnv(DeployHost h, Side.Ports ports) throws OpsException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : List.of("secret_key", "client_url", "database_url", "datapass_url", "datapass_client_id",
                "datapass_client_secret", "sentry_dsn", "config_repo_api_key", "passwords")) {
            if (h.vars.isDefined(name)) {
                Object v = h.vars.get(name);
                values.put(name, v == null ? "" : v instanceof Map || v instanceof List ? toJson(v) : String.valueOf(v));
            }
        }
        return DotEnv.render(values, ports);
    }

    private static String toJson(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    /**
     * An abort between batches of switches: the hosts not yet switched keep the previous release
     * (their new programs stopped, the release marked failed); those switched stay as they ended.
     */
    private InterruptedException abortedAt(List<DeployHost> work, List<DeployHost> switched, String ref, String commit, long start) {
        List<DeployHost> left = work.subList(switched.size(), work.size());
        String why = switched.isEmpty() ? "the deploy was aborted before the switch" : "the deploy was aborted before this host's switch";
        for (DeployHost h : left) {
            cleanUpFailed(h, why);
            history(h, "deploy", ref, commit, h.release.id(), "aborted", start, why);
        }
        if (switched.isEmpty()) {
            return new InterruptedException(why + ": nothing was switched, the live release kept serving, the new one was stopped"
                    + " and marked failed");
        }
        return new InterruptedException("the deploy was aborted during the switch: " + String.join(", ", switched.stream()
                .map(h -> h.name + " " + h.result).toList()) + (left.isEmpty() ? "" : "; " + String.join(", ", left.stream()
                .map(h -> h.name).toList()) + " kept the previous release"));
    }

    /** Prepares every host, migrates once, starts and checks the new side everywhere, then switches. */
    private String prepareAndSwitch(List<DeployHost> work, CodeArchive.Resolved code, String ref, String id, HeldLock lock)
            throws OpsException, InterruptedException {
        long start = System.nanoTime();
        String failure = null;
        boolean aborted = false;
        try {
            parallel(work, h -> prepare(h, code, id));
            DeployHost migrator = work.get(0);
            migrator.step("migrate", () -> {
                ExecResult r = migrator.asApp(DeployScripts.make(migrator.layout, id, "migrate"));
                String out = migrator.ok(r, "make migrate") + "\n" + r.stderr();
                return out.contains("Running upgrade") ? "changed: " + migrator.mask(lastLines(out, "Running upgrade"))
                        : "ok: the database is at the code's migration already";
            });
            parallel(work, h -> start(h, h.release, h.newSide));
        } catch (DeployHost.StepFailure e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            failure = "the deploy was aborted";
        }
        // an abort may also have surfaced as a failed command; either way the cleanup below must run to its end
        aborted = Thread.interrupted() || "the deploy was aborted".equals(failure);
        if (failure != null) {
            String why = aborted ? "the deploy was aborted before the switch" : failure;
            for (DeployHost h : work) {
                cleanUpFailed(h, why);
                history(h, "deploy", ref, code.commit(), h.release.id(), aborted ? "aborted" : "failed", start, why);
            }
            if (aborted) {
                throw new InterruptedException("the deploy was aborted before the switch: nothing was switched, the live release"
                        + " kept serving, the new one was stopped and marked failed");
            }
            return "failed before the switch, the live release kept serving: " + failure;
        }
        List<String> switchedBack = java.util.Collections.synchronizedList(new ArrayList<>());
        List<DeployHost> switched = new ArrayList<>();
        int batch = request.serial() == 0 ? work.size() : request.serial();
        for (int i = 0; i < work.size(); i += batch) {
            List<DeployHost> now = work.subList(i, Math.min(work.size(), i + batch));
            boolean abort = Thread.interrupted();
            if (!abort) {
                abort = toTheEnd(now, h -> {
                    try {
                        switchTo(h, h.release, ReleaseState.PREVIOUS, new Audit("deploy", ref, code.commit(), "deployed", start));
                        h.result = "deployed";
                        h.message = h.release.id() + " live on " + h.newSide.id() + h.auditNote;
                    } catch (DeployHost.StepFailure e) {
                        switchedBack.add(e.getMessage());
                        history(h, "deploy", ref, code.commit(), h.release.id(), h.result, start, e.getMessage());
                    }
                });
                switched.addAll(now);
            }
            if (abort) {
                throw abortedAt(work, switched, ref, code.commit(), start);
            }
        }
        if (!switchedBack.isEmpty()) {
            boolean allBack = work.stream().noneMatch(h -> h.switched && !h.result.equals("deployed"));
            boolean wentBack = work.stream().anyMatch(h -> h.result.equals("switched back"));
            return (!allBack ? "failed during or after the switch; traffic may still go to the new release on a host: "
                    : wentBack ? "unhealthy after the switch, traffic went back to the previous release: "
                    : "failed at the switch, the live release kept serving: ") + switchedBack.get(0);
        }
        return "deployed " + ref + " (" + code.commit().substring(0, 7) + ") as " + id;
    }

    private void prepare(DeployHost h, CodeArchive.Resolved code, String id) throws DeployHost.StepFailure, InterruptedException {
        h.step("code", () -> {
            if (code.tar() != null) {
                String dotEnv = dotEnv(h, h.settings.ports().of(h.newSide));
                // the host's own files (.env, the manifest) follow the commit's in the same stream: one command
                byte[] own = new UstarWriter(Instant.now().getEpochSecond())
                        .file(".env", 0600, dotEnv.getBytes(StandardCharsets.UTF_8))
                        .file(ReleaseLayout.MANIFEST, 0644, (h.release.toJson() + "\n").getBytes(StandardCharsets.UTF_8)).finish();
                byte[] all = java.util.Arrays.copyOf(code.tar().bytes(), code.tar().bytes().length + own.length);
                System.arraycopy(own, 0, all, code.tar().bytes().length, own.length);
                h.appOk(DeployScripts.unpack(h.layout, id, all, List.of(".env", ReleaseLayout.MANIFEST)), "unpacking the code");
            } else {
                ExecResult r = h.asApp(PullCode.checkout(h.layout, pullFrom, code.commit(), id));
                if (!r.ok()) {
                    throw new OpsException(PullCode.checkoutFailure(h.name, pullFrom, code.commit(), h.layout.release(id),
                            r.exitCode(), h.tail(r, 3)));
                }
                h.writeManifest(h.release);
            }
            return "changed: " + code.commit().substring(0, 7) + " (" + code.ref() + ") " + (code.tar() != null ? "into "
                    : "fetched by the host into ") + h.layout.release(id);
        });
        h.step(".env", () -> {
            if (code.tar() == null) {
                h.uploadAsApp(dotEnv(h, h.settings.ports().of(h.newSide)), h.layout.release(id) + "/.env", "0600");
            }
            return "changed: mode 0600, owned by " + h.settings.appUser() + ", ports of the " + h.newSide.id() + " side"
                    + (code.tar() != null ? " (sent with the code)" : "");
        });
        String venvKey = venvKey(h, code);
        h.step("venv", () -> {
            String out = h.appOk(DeployScripts.yielding(DeployScripts.venv(h.layout, venvKey, id, h.settings.python(),
                    h.settings.systemSitePackages(), h.settings.pipOptions())), "the virtualenv (pip install -r requirements.txt)");
            h.reusedVenv = out.strip().endsWith("reused");
            return h.reusedVenv ? "reused: shared/venvs/" + venvKey : "changed: built shared/venvs/" + venvKey;
        });
        String nodeKey = nodeKey(code);
        h.step("node modules", () -> {
            String out = h.appOk(DeployScripts.yielding(DeployScripts.nodeModules(h.layout, nodeKey, id)), "npm ci");
            h.reusedNode = out.strip().endsWith("reused");
            return h.reusedNode ? "reused: shared/node/" + nodeKey : "changed: npm ci into shared/node/" + nodeKey;
        });
        h.step("build", () -> {
            h.appOk(DeployScripts.yielding(DeployScripts.make(h.layout, id, "build")), "make build");
            return "changed: make build";
        });
    }

    /** Starts {@code release} on {@code side} and checks both services on their own ports. */
    private void start(DeployHost h, ReleaseManifest release, Side side) throws DeployHost.StepFailure, InterruptedException {
        Side.Ports p = h.settings.ports().of(side);
        h.step("start", () -> {
            h.started = true;
            ExecResult r = h.asRoot(Supervisor.start(side, p, h.layout.release(release.id()), h.settings.appUser()));
            if (r.exitCode() == DeployScripts.PORTS_HELD) {
                h.started = false;
                throw new OpsException("port " + r.stdout().strip().replace("\n", ", ") + " of the " + side.id()
                        + " side is held by something else on the host; free it or change api_alt_port/client_alt_port");
            }
            if (r.exitCode() == Supervisor.SIDE_BUSY) {
                h.started = false;
                throw new OpsException(sideBusy(side));
            }
            h.ok(r, "supervisorctl update " + Supervisor.group(side));
            return "changed: " + Supervisor.group(side) + " (api " + p.api() + ", client " + p.client() + ")";
        });
        h.step("health", () -> {
            health(h, side, h.settings.apiHealth(), h.settings.clientHealth());
            return "ok: api :" + p.api() + h.settings.apiHealth().path() + " and client :" + p.client()
                    + h.settings.clientHealth().path() + " answer";
        });
    }

    private static String sideBusy(Side side) {
        return "the " + side.id() + " side is still being stopped on the host after " + Supervisor.SIDE_LOCK_WAIT.toSeconds()
                + " s (" + Supervisor.sideLock(side) + " is held); see supervisorctl status " + Supervisor.group(side)
                + ", then run again";
    }

    /** Checks both services of a side on their own ports, in one command; a failure names the program and ends with its log. */
    private void health(DeployHost h, Side side, HealthCheck api, HealthCheck client) throws OpsException {
        health(h, side, api, client, false);
    }

    /** As {@link #health}; {@code sideLocked}: holding the side's lock, so that no retirement of that side runs meanwhile. */
    private void health(DeployHost h, Side side, HealthCheck api, HealthCheck client, boolean sideLocked) throws OpsException {
        Side.Ports p = h.settings.ports().of(side);
        Command check = HealthCheck.both(api, p.api(), client, p.client());
        ExecResult r = h.asRoot(sideLocked ? Supervisor.underSideLock(side, check) : check);
        if (r.exitCode() == Supervisor.SIDE_BUSY) {
            throw new OpsException(sideBusy(side));
        }
        if (!r.ok()) {
            String[] lines = r.stdout().strip().split("\n");
            String answer = lines[lines.length - 1];
            String program = answer.contains("127.0.0.1:" + p.client() + "/") ? "client" : "server";
            ExecResult log = h.asRoot(Supervisor.tail(program, side, 10));
            throw new OpsException(h.mask(answer) + "; last lines of " + Supervisor.logPath(program, side) + ": " + h.tail(log, 10));
        }
    }

    /**
     * Whether the side a switch leaves keeps running, as the standby a rollback switches to: with
     * {@code deploy_standby} (the default), after a deploy (not a rollback: the release left is
     * the faulty one), when that side runs the release that was live, as its program file says
     * (not a dead deploy's, which the switch of a deploy killed midway would leave there).
     */
    private boolean keepsStandby(DeployHost h, ReleaseState oldLiveBecomes) {
        return h.settings.standby() && oldLiveBecomes == ReleaseState.PREVIOUS && h.live != null && h.live.side() == h.liveSide
                && !h.state.originalPrograms() && h.state.program(h.liveSide)
                .map(x -> x.releaseDir().equals(h.layout.release(h.live.id()))).orElse(false);
    }

    /** The audit record a switch writes when it succeeds, as its last command. */
    private record Audit(String event, String ref, String commit, String result, long start) {
    }

    /**
     * Switches nginx to the release's side, verifies, then either keeps the old side up as the
     * standby ({@link #keepsStandby}) or drains and stops it; then moves {@code current}, marks
     * the manifests, prunes and writes {@code audit}. Unhealthy through nginx: switches back.
     */
    private void switchTo(DeployHost h, ReleaseManifest release, ReleaseState oldLiveBecomes, Audit audit)
            throws DeployHost.StepFailure, InterruptedException {
        Side side = release.side();
        Side.Ports p = h.settings.ports().of(side);
        String before = h.state.upstreamsPresent() && h.state.upstreams() != null ? Nginx.upstreams(h.state.upstreams()) : null;
        Side oldSide = side.other();
        boolean standby = keepsStandby(h, oldLiveBecomes);
        try {
            h.step("switch", () -> {
                // from the moment the command is sent until the host answers, nginx may be on either side: counted as switched
                h.switched = true;
                ExecResult r = h.asRoot(fr.gouv.data.catalogue.ops.internal.remote.SshRemote.installCommand(
                        Nginx.upstreams(p).getBytes(StandardCharsets.UTF_8), Nginx.NEXT, "0644", "root:root").then(Nginx.install()));
                if (!r.ok()) {
                    restoreUpstreams(h, before);
                    h.switched = false;
                    throw new OpsException("nginx refused the new upstreams, the old ones are back: " + h.tail(r, 5));
                }
                return "changed: nginx sends traffic to the " + side.id() + " side (api " + p.api() + ", client " + p.client() + ")";
            });
            // at once, before the drain: an unhealthy release must serve for as short a time as possible
            h.step("verify", () -> {
                String url = (h.settings.tls() ? "https" : "http") + "://127.0.0.1/api" + h.settings.apiHealth().path();
                HealthCheck through = new HealthCheck(h.settings.apiHealth().path(), h.settings.apiHealth().status(),
                        VERIFY_LIMIT, HealthCheck.DEFAULT_INTERVAL);
                ExecResult r = h.asRoot(through.command(url, h.settings.tls()));
                if (!r.ok()) {
                    throw new OpsException("through nginx: " + h.mask(r.stdout().strip()));
                }
                return "ok: " + url + " answers " + r.stdout().strip();
            });
        } catch (DeployHost.StepFailure e) {
            h.message = e.getMessage();
            if (h.switched) {
                switchBack(h, before);
            } else {
                cleanUpFailed(h, h.message);
            }
            throw e;
        }
        if (standby) {
            Side.Ports old = h.settings.ports().of(oldSide);
            h.step("standby", () -> "ok: " + h.live.id() + " stays up on the " + oldSide.id() + " side (api " + old.api()
                    + ", client " + old.client() + "), finishing the requests it has; a rollback to it is a switch");
        } else {
            // the old side stops on the host once nginx's old workers have finished with it, without
            // this run waiting: traffic left it, and a start of that side waits for the stop (its lock)
            h.step("stop old side", () -> {
                h.rootOk(Supervisor.retire(oldSide, DRAIN_LIMIT), "stopping " + Supervisor.group(oldSide));
                return "changed: " + Supervisor.group(oldSide) + " stops on the host once the old nginx workers have finished";
            });
        }
        if (h.state.originalPrograms()) {
            h.step("retire the original", () -> {
                h.rootOk(DeployScripts.retireOriginalPrograms(), "retiring the original programs");
                h.appOk(DeployScripts.moveOriginalCheckoutAside(h.layout), "moving the original checkout aside");
                return "changed: the original's programs server and client removed from supervisor; its checkout kept in "
                        + h.layout.workdir() + "/" + DeployScripts.ORIGINAL_CHECKOUT + " until the next deploy";
            });
        }
        Pruning.SharedUse[] shared = new Pruning.SharedUse[1];
        h.step("current", () -> {
            ReleaseManifest now = release.withState(ReleaseState.LIVE);
            List<String> manifests = new ArrayList<>(List.of(h.layout.manifest(now.id()), now.toJson()));
            for (ReleaseManifest m : h.state.manifests()) {
                if (m.state() == ReleaseState.LIVE && !m.id().equals(release.id())) {
                    manifests.add(h.layout.manifest(m.id()));
                    manifests.add(m.withState(oldLiveBecomes).toJson());
                }
            }
            // current, the manifests, and (for the prune below) which shared folder each release uses: one command
            shared[0] = Pruning.SharedUse.parse(h.appOk(Command.all(List.of(DeployScripts.switchCurrent(h.layout, release.id()),
                    DeployScripts.writeManifests(manifests), DeployScripts.sharedUse(h.layout))), "moving current"));
            h.release = now;
            return "changed: current -> releases/" + release.id() + ", marked live";
        });
        try {
            prune(h, release, oldLiveBecomes, audit, shared[0]);
        } catch (DeployHost.StepFailure e) {
            // the release is live and marked so: what is left to remove, the next deploy removes
            h.auditNote += "; " + e.getMessage() + " (the release is live; the next deploy prunes)";
        }
    }

    /** Writes the audit record, then removes the releases and shared folders no longer kept, in one command. */
    private void prune(DeployHost h, ReleaseManifest release, ReleaseState oldLiveBecomes, Audit audit, Pruning.SharedUse shared)
            throws DeployHost.StepFailure, InterruptedException {
        h.step("prune", () -> {
            List<ReleaseManifest> all = new ArrayList<>();
            for (ReleaseManifest m : h.state.manifests()) {
                all.add(m.id().equals(release.id()) ? h.release
                        : m.state() == ReleaseState.LIVE ? m.withState(oldLiveBecomes) : m);
            }
            if (h.state.manifest(release.id()).isEmpty()) {
                all.add(h.release);
            }
            List<String> remove = new ArrayList<>(Pruning.toRemove(all, release.id(), h.settings.keepReleases()));
            for (String dir : h.state.releaseDirs()) {
                if (h.state.manifest(dir).isEmpty() && !dir.equals(release.id())) {
                    remove.add(dir);
                }
            }
            List<String> dirs = List.copyOf(remove);
            // shared folders that no release left links to: read before the releases go, removed after them
            List<String> venvs = shared.unusedVenvs(dirs);
            List<String> nodes = shared.unusedNodes(dirs);
            // the audit record first: the switch has ended, whatever the housekeeping below meets
            List<Command> work = new ArrayList<>(List.of(DeployScripts.appendHistoryLine(h.layout, auditLine(audit.event(),
                    audit.ref(), audit.commit(), release.id(), audit.result(), (System.nanoTime() - audit.start()) / 1_000_000, ""))));
            if (h.state.originalCheckout()) {
                work.add(DeployScripts.removeOriginalCheckout(h.layout));
                remove.add(DeployScripts.ORIGINAL_CHECKOUT);
            }
            if (!dirs.isEmpty()) {
                work.add(DeployScripts.remove(h.layout, dirs));
            }
            if (!venvs.isEmpty() || !nodes.isEmpty()) {
                work.add(DeployScripts.removeShared(h.layout, venvs, nodes));
                venvs.forEach(k -> remove.add("shared/venvs/" + k));
                nodes.forEach(k -> remove.add("shared/node/" + k));
            }
            String out = h.appOk(Command.all(work), "removing old releases");
            h.auditNote = out.contains(DeployScripts.AUDIT_NOT_WRITTEN) ? "; audit log not written: cannot append to "
                    + h.layout.history() : "";
            if (remove.isEmpty()) {
                return "ok: " + all.size() + " release(s), nothing to remove";
            }
            return "changed: removed " + String.join(", ", remove);
        });
    }

    private void restoreUpstreams(DeployHost h, String before) throws OpsException {
        if (before == null) {
            h.asRoot(Command.of("rm", "-f", Nginx.UPSTREAMS));
            h.rootOk(Nginx.testAndReload(), "nginx reload");
        } else {
            h.uploadAsRoot(before, Nginx.NEXT, "0644");
            h.rootOk(Nginx.install(), "nginx reload");
        }
    }

    /** Traffic back to the side that served before, then the failed release stopped and marked. */
    private void switchBack(DeployHost h, String before) throws InterruptedException {
        try {
            h.step("switch back", () -> {
                restoreUpstreams(h, before);
                h.switched = false;
                h.result = "switched back";
                h.rootOk(Nginx.drain(DRAIN_LIMIT), "waiting for the nginx workers");
                return "changed: nginx sends traffic to the " + h.liveSide.id() + " side again";
            });
        } catch (DeployHost.StepFailure e) {
            if (h.switched) {
                h.message += "; traffic could not be sent back to the " + h.liveSide.id() + " side (" + e.getMessage()
                        + "): the next deploy or rollback sets it right";
            }
        }
        cleanUpFailed(h, h.message);
    }

    /** Stops the new side's programs (if started) and marks the release failed. */
    private void cleanUpFailed(DeployHost h, String why) {
        h.result = h.result.equals("switched back") ? h.result : "failed";
        h.message = h.message.isEmpty() ? why : h.message;
        boolean interrupted = Thread.interrupted();
        try {
            h.step("clean up", () -> {
                if (h.started && !h.switched) {
                    h.rootOk(Supervisor.stop(h.newSide), "stopping the new programs");
                }
                if (h.release != null && h.release.state() == ReleaseState.PREPARED) {
                    h.writeManifest(h.release.withState(ReleaseState.FAILED));
                }
                return "changed: " + (h.started ? Supervisor.group(h.newSide) + " stopped, " : "") + "release "
                        + (h.release == null ? "" : h.release.id()) + " marked failed";
            });
        } catch (DeployHost.StepFailure | InterruptedException e) {
            interrupted |= e instanceof InterruptedException;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // rollback

    public DeployReport rollback(String to) throws OpsException, InterruptedException {
        long start = System.nanoTime();
        List<String> selected = hosts(env, request.limit(), request.serial());
        env.prefetchSecrets();
        if (to != null && !ReleaseLayout.isReleaseId(to)) {
            throw new BadOptionException("to", to + ": not a release id (yyyyMMddHHmmss-abcdef0); see catalogue-ops releases "
                    + env.name());
        }
        Map<String, DeployHost> hosts = connect(selected);
        try {
            DeployHost lockHost = hosts.get(env.webHosts().get(0));
            try (HeldLock lock = takeLock(lockHost, "rollback", to == null ? "" : to)) {
                readStates(hosts.values(), lockHost);
                List<DeployHost> targets = selected.stream().map(hosts::get).toList();
                String target = to != null ? to : defaultTarget(targets.get(0));
                for (DeployHost h : targets) {
                    planRollback(h, target);
                }
                List<DeployHost> work = targets.stream().filter(x -> !x.result.equals("unchanged")).toList();
                String commit = targets.get(0).release.commit();
                if (work.isEmpty()) {
                    return report("rollback", commit, target, target + " is live already; nothing to do", targets, start);
                }
                String failure = null;
                try {
                    parallel(work, h -> {
                        if (!h.warm || !standbyAnswers(h)) {
                            start(h, h.release, h.newSide);
                        }
                    });
                } catch (DeployHost.StepFailure e) {
                    failure = e.getMessage();
                } catch (InterruptedException e) {
                    failure = "the rollback was aborted";
                }
                boolean aborted = Thread.interrupted() || "the rollback was aborted".equals(failure);
                if (aborted && failure != null) {
                    failure = "the rollback was aborted before the switch";
                }
                if (failure != null || aborted) {
                    String why = failure != null ? failure : "the rollback was aborted before the switch";
                    for (DeployHost h : work) {
                        h.result = "failed";
                        h.message = "not switched: " + why;
                        if (h.started) {
                            try {
                                h.rootOk(Supervisor.stop(h.newSide), "stopping " + Supervisor.group(h.newSide));
                            } catch (OpsException ignored) {
                                // the failure above is what the user needs to know
                            }
                        }
                        history(h, "rollback", target, commit, target, aborted ? "aborted" : "failed", start, why);
                    }
                    if (aborted) {
                        throw new InterruptedException(why + ": nothing was switched, the live release kept serving");
                    }
                    final String e = failure;
                    return report("rollback", commit, target, "not switched, the live release kept serving: " + e
                            + " (a rollback never changes the schema)", targets, start);
                }
                List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
                boolean abortedDuring = toTheEnd(work, h -> {
                    try {
                        switchTo(h, h.release, ReleaseState.ROLLED_BACK, new Audit("rollback", target, commit, "rolled back", start));
                        h.result = "rolled back";
                        h.message = target + " live on " + h.newSide.id() + h.auditNote;
                    } catch (DeployHost.StepFailure e) {
                        failed.add(e.getMessage());
                        history(h, "rollback", target, commit, target, h.result, start, e.getMessage());
                    }
                });
                if (abortedDuring) {
                    throw new InterruptedException("the rollback was aborted during the switch: " + String.join(", ", work.stream()
                            .map(h -> h.name + " " + h.result).toList()));
                }
                return report("rollback", commit, target, failed.isEmpty() ? "rolled back to " + target
                        : "unhealthy after the switch, traffic went back: " + failed.get(0), targets, start);
            }
        } finally {
            hosts.values().forEach(DeployHost::close);
        }
    }

    private String defaultTarget(DeployHost h) throws ConfigException {
        String live = h.state.live().map(ReleaseManifest::id).orElse("");
        return h.state.manifests().stream().filter(m -> m.state() == ReleaseState.PREVIOUS && !m.id().equals(live))
                .map(ReleaseManifest::id).max(String::compareTo)
                .orElseThrow(() -> new ConfigException(h.name + ": no previous release to roll back to; see catalogue-ops releases "
                        + env.name()));
    }

    private void planRollback(DeployHost h, String target) throws OpsException {
        if (h.state.error() != null) {
            throw new ConfigException(h.name + ": " + h.state.error());
        }
        ReleaseManifest m = h.state.manifest(target).orElseThrow(() -> new ConfigException(h.name + ": release " + target
                + " does not exist; see catalogue-ops releases " + env.name()));
        if (!m.state().healthy()) {
            throw new ConfigException(h.name + ": release " + target + " is " + m.state().id()
                    + "; it is not a rollback target (see catalogue-ops releases " + env.name() + ")");
        }
        h.liveSide = liveSide(h);
        h.newSide = h.liveSide.other();
        h.live = h.state.live().orElse(null);
        if (h.live != null && h.live.id().equals(target) && m.state() == ReleaseState.LIVE) {
            h.result = "unchanged";
            h.release = m;
            return;
        }
        h.release = m.withSide(h.newSide);
        Side.Ports p = h.settings.ports().of(h.newSide);
        String dir = h.layout.release(target);
        String sha = Supervisor.fileDigest(h.newSide, p, dir, h.settings.appUser());
        h.warm = h.state.program(h.newSide).map(x -> x.releaseDir().equals(dir) && x.sha256().equals(sha)).orElse(false);
    }

    /** How long a standby may take to answer before a rollback starts its programs again. */
    static final Duration STANDBY_ANSWER_LIMIT = Duration.ofSeconds(2);

    /**
     * Whether the standby (the target already running on the idle side, as its program file says)
     * answers on its own ports; if not, the rollback starts it again as it would a stopped release.
     */
    private boolean standbyAnswers(DeployHost h) throws DeployHost.StepFailure, InterruptedException {
        Side.Ports p = h.settings.ports().of(h.newSide);
        String status = h.step("standby", () -> {
            try {
                health(h, h.newSide, h.settings.apiHealth().within(STANDBY_ANSWER_LIMIT),
                        h.settings.clientHealth().within(STANDBY_ANSWER_LIMIT), true);
                return "ok: " + h.release.id() + " runs on the " + h.newSide.id() + " side already and answers (api " + p.api()
                        + ", client " + p.client() + "): no start needed";
            } catch (OpsException e) {
                return "changed: " + h.release.id() + " is on the " + h.newSide.id() + " side but does not answer (" + e.getMessage()
                        + "); starting it again";
            }
        });
        return status.equals("ok");
    }

    // ---------------------------------------------------------------------------------------------
    // releases, history, lock

    /** Every release on every selected host, newest first, as their manifests say. */
    public List<fr.gouv.data.catalogue.ops.report.ReleaseInfo> releases() throws OpsException {
        env.prefetchSecrets();
        List<fr.gouv.data.catalogue.ops.report.ReleaseInfo> all = new ArrayList<>();
        for (String name : hosts(env, request.limit(), 0)) {
            try (DeployHost h = open(name)) {
                HostState s = probe(h, DeployScripts.LockMode.READ, null);
                String live = s.live().map(ReleaseManifest::id).orElse("");
                List<ReleaseManifest> sorted = new ArrayList<>(s.manifests());
                sorted.sort(java.util.Comparator.comparing(ReleaseManifest::id).reversed());
                for (ReleaseManifest m : sorted) {
                    all.add(new fr.gouv.data.catalogue.ops.report.ReleaseInfo(name, m.id(), m.commit(), m.ref(), m.deployedBy(),
                            m.from(), m.at(), m.state().id(), m.side().id(), m.id().equals(live)));
                }
            }
        }
        return all;
    }

    /** Every record of the selected hosts' audit logs, oldest first per host. */
    public List<fr.gouv.data.catalogue.ops.report.HistoryEntry> history() throws OpsException {
        env.prefetchSecrets();
        List<fr.gouv.data.catalogue.ops.report.HistoryEntry> all = new ArrayList<>();
        for (String name : hosts(env, request.limit(), 0)) {
            try (DeployHost h = open(name)) {
                String text = h.appOk(DeployScripts.readHistory(h.layout), "reading the audit log");
                for (String line : text.split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(line);
                        all.add(new fr.gouv.data.catalogue.ops.report.HistoryEntry(name, n.path("at").asText(""),
                                n.path("event").asText(""), n.path("user").asText(""), n.path("from").asText(""),
                                n.path("ref").asText(""), n.path("commit").asText(""), n.path("release").asText(""),
                                n.path("result").asText(""), n.path("duration_ms").asLong(0), n.path("message").asText("")));
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        // a line cut by a crash: the others still count
                    }
                }
            }
        }
        return all;
    }

    /** The lock on the first web host. */
    public fr.gouv.data.catalogue.ops.report.LockStatus lockStatus() throws OpsException {
        env.prefetchSecrets();
        try (DeployHost h = open(env.webHosts().get(0))) {
            return lockStatus(h, probe(h, DeployScripts.LockMode.READ, null));
        }
    }

    private static fr.gouv.data.catalogue.ops.report.LockStatus lockStatus(DeployHost h, HostState s) {
        boolean held = s.lock().equals("held");
        return new fr.gouv.data.catalogue.ops.report.LockStatus(h.name, held, held && LockInfo.stale(s.lockAgeSeconds()),
                held ? LockInfo.parse(s.lockJson()).describe() : "", held ? s.lockAgeSeconds() : 0);
    }

    /** Removes the lock by hand (its holder is known to be gone), recorded in the audit log. */
    public fr.gouv.data.catalogue.ops.report.LockStatus releaseLockByHand() throws OpsException {
        env.prefetchSecrets();
        try (DeployHost h = open(env.webHosts().get(0))) {
            fr.gouv.data.catalogue.ops.report.LockStatus before = lockStatus(h, probe(h, DeployScripts.LockMode.READ, null));
            if (before.held()) {
                h.appOk(DeployScripts.breakLock(h.layout), "removing the lock");
                historyLine(h, "lock released", "", "", "", "released", 0, "released by hand; it was held by "
                        + before.description());
            }
            return before;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // work in the live release, under the lock (initial data, the app's tools)

    /** Work done in one host's live release while the lock is held; its result is recorded in the audit log. */
    @FunctionalInterface
    public interface ReleaseWork<T> {
        T run(LiveRelease release) throws OpsException, InterruptedException;
    }

    /** What a piece of work in a live release says for the audit log: its result and message. */
    public interface Audited {
        String auditResult();

        String auditMessage();

        /** Whether the work succeeded; the first host where it did not is the last one worked on. */
        default boolean succeeded() {
            return true;
        }
    }

    /**
     * Runs {@code work} in the live release of each of {@code selected}, one host after the other,
     * holding the environment's deploy lock (taken as {@code operation}, refused when held, queued
     * with {@link Request#waitFor()}), and records each run in the audit log as {@code operation}.
     * A host with no live release is refused before any work starts; the first host where the work
     * fails is the last one worked on.
     */
    public <T extends Audited> List<T> inLiveReleases(List<String> selected, String operation, String version, ReleaseWork<T> work)
            throws OpsException, InterruptedException {
        env.prefetchSecrets();
        Map<String, DeployHost> hosts = connect(selected);
        try {
            // read first, so that a host with nothing deployed is refused without even a lock taken
            readStates(hosts.values(), null);
            liveReleases(selected, hosts);
            DeployHost lockHost = hosts.get(env.webHosts().get(0));
            try (HeldLock lock = takeLock(lockHost, operation, version)) {
                readStates(hosts.values(), lockHost);
                List<LiveRelease> releases = liveReleases(selected, hosts);
                List<T> results = new ArrayList<>();
                for (LiveRelease r : releases) {
                    long start = System.nanoTime();
                    T result = work.run(r);
                    results.add(result);
                    history(hosts.get(r.host()), operation, version, r.commit(), r.id(), result.auditResult(), start,
                            result.auditMessage());
                    if (!result.succeeded()) {
                        break;
                    }
                }
                return results;
            }
        } finally {
            hosts.values().forEach(DeployHost::close);
        }
    }

    /** Work done while the environment's deploy lock is held; its result is recorded in the audit log. */
    @FunctionalInterface
    public interface LockedWork<T extends Audited> {
        T run() throws OpsException, InterruptedException;
    }

    /**
     * Runs {@code work} holding the environment's deploy lock (on the first web host, taken as
     * {@code operation}, refused when held, queued with {@link Request#waitFor()}), and records it
     * in that host's audit log: for operations that change what the site serves without a release
     * (a certificate reissued), so that no deploy switches nginx in the middle of them.
     */
    public <T extends Audited> T underLock(String operation, String version, LockedWork<T> work)
            throws OpsException, InterruptedException {
        Map<String, DeployHost> hosts = connect(List.of());
        try {
            DeployHost lockHost = hosts.get(env.webHosts().get(0));
            try (HeldLock lock = takeLock(lockHost, operation, version)) {
                long start = System.nanoTime();
                T result = work.run();
                history(lockHost, operation, version, "", "", result.auditResult(), start, result.auditMessage());
                return result;
            }
        } finally {
            hosts.values().forEach(DeployHost::close);
        }
    }

    private List<LiveRelease> liveReleases(List<String> selected, Map<String, DeployHost> hosts) throws ConfigException {
        List<LiveRelease> releases = new ArrayList<>();
        for (String name : selected) {
            DeployHost h = hosts.get(name);
            if (h.state.error() != null) {
                throw new ConfigException(h.name + ": " + h.state.error() + "; fix workdir in group_vars");
            }
            ReleaseManifest live = h.state.live().orElseThrow(() -> new ConfigException(h.name + ": no live release in "
                    + h.layout.workdir() + "; deploy first: catalogue-ops deploy " + env.name()));
            releases.add(new LiveRelease(h, live));
        }
        return releases;
    }

    // ---------------------------------------------------------------------------------------------
    // shared

    /** {@link #connect} on a thread of its own, begun at once, so that the handshakes overlap other work. */
    private final class Connecting {
        private final java.util.concurrent.CompletableFuture<Map<String, DeployHost>> hosts =
                new java.util.concurrent.CompletableFuture<>();

        Connecting(List<String> selected) {
            Thread t = new Thread(() -> {
                try {
                    hosts.complete(connect(selected));
                } catch (OpsException | RuntimeException | InterruptedException e) {
                    hosts.completeExceptionally(e);
                }
            }, "catalogue-ops-connect");
            t.setDaemon(true);
            t.start();
        }

        Map<String, DeployHost> join() throws OpsException, InterruptedException {
            try {
                return hosts.get();
            } catch (InterruptedException e) {
                abandon();
                throw e;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof OpsException o) {
                    throw o;
                }
                if (e.getCause() instanceof InterruptedException i) {
                    throw i;
                }
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }

        /** Closes the connections once made; the caller does not wait. */
        void abandon() {
            hosts.thenAccept(made -> made.values().forEach(DeployHost::close));
        }
    }

    /** Connects to the first web host (it holds the lock) and the selected ones, side by side. */
    private Map<String, DeployHost> connect(List<String> selected) throws OpsException, InterruptedException {
        List<String> names = new ArrayList<>();
        names.add(env.webHosts().get(0));
        selected.stream().filter(n -> !names.contains(n)).forEach(names::add);
        List<FanOut.Outcome<DeployHost>> opened = FanOut.each(names, this::open, DeployHost::close);
        Map<String, DeployHost> hosts = new LinkedHashMap<>();
        try {
            for (int i = 0; i < names.size(); i++) {
                hosts.put(names.get(i), opened.get(i).get());
            }
        } catch (OpsException | RuntimeException e) {
            opened.stream().filter(o -> o.value() != null).forEach(o -> o.value().close());
            throw e;
        }
        return hosts;
    }

    DeployHost open(String name) throws OpsException {
        SshRemote remote = reach(name);
        ConnectionSettings s = remote.settings();
        try {
            Masking masking = masking();
            ExecResult r = remote.exec(Command.of("sh", "-c", "printf %s \"$HOME\""));
            String home = r.stdout().strip();
            if (!r.ok() || !home.startsWith("/")) {
                throw new OpsException(name + ": cannot tell the login user's home folder");
            }
            Map<String, Object> ansibleEnv = Map.of("HOME", home);
            HostFacts facts = fact -> switch (fact) {
                case "ansible_env" -> Optional.of(ansibleEnv);
                case "ansible_user_dir" -> Optional.of(home);
                default -> Optional.empty();
            };
            HostVariables vars = env.variables(name, facts);
            String login = s.user();
            String rootVia = s.become() ? s.becomeUser() : null;
            DeploySettings settings = DeploySettings.of(vars, s.user(), home);
            checkPorts(name, settings.ports());
            String workdir = vars.isDefined("workdir") ? String.valueOf(vars.get("workdir")).strip() : home + "/catalogage";
            if (!workdir.startsWith("/")) {
                throw new ConfigException(name + ": workdir must be an absolute path, found '" + workdir + "'");
            }
            return new DeployHost(name, remote, login, rootVia, vars, settings, new ReleaseLayout(workdir), masking, listener);
        } catch (OpsException | RuntimeException e) {
            remote.close();
            throw e;
        }
    }

    /**
     * The host's SSH connection. While the secrets are still being decrypted (the vault's key
     * derivation, on another thread), the handshake begins with the settings the variables give
     * without them; it is kept when the secrets change nothing of how the host is reached (address,
     * port, login, keys, known hosts), else closed and the host reached as the secrets say. So the
     * handshake overlaps the decryption, and a vault that cannot be opened is still the error shown.
     * (Where the secrets move a host to another address and the inventory's does not answer, the
     * first attempt waits out its connect timeout before the right one begins.)
     */
    private SshRemote reach(String name) throws OpsException {
        ConnectionSettings early = null;
        if (!env.secretsRead()) {
            try {
                early = access.settings(env, env.variablesWithoutSecrets(name));
            } catch (OpsException | RuntimeException needsTheSecrets) {
                early = null; // a connection variable made from a secret: wait for them
            }
        }
        SshRemote remote = null;
        OpsException unreached = null;
        if (early != null) {
            try {
                remote = SshRemote.connect(early);
            } catch (OpsException e) {
                unreached = e;
            }
        }
        ConnectionSettings s;
        try {
            s = access.settings(env, env.variables(name));
        } catch (OpsException | RuntimeException e) {
            if (remote != null) {
                remote.close();
            }
            throw e;
        }
        if (early != null && SshRemote.sameConnection(early, s)) {
            if (unreached != null) {
                throw unreachable(name, unreached);
            }
            return remote.withSettings(s);
        }
        if (remote != null) {
            remote.close();
        }
        try {
            return SshRemote.connect(s);
        } catch (OpsException e) {
            throw unreachable(name, e);
        }
    }

    private static OpsException unreachable(String name, OpsException e) {
        return new OpsException(name + " cannot be reached, nothing was changed: " + e.getMessage());
    }

    /**
     * The new release's id: its UTC second and short commit, one second later while a folder of that
     * name is on one of the hosts (a deploy killed a moment ago left one, and the next may start
     * within the same second).
     */
    static String newReleaseId(Instant at, String commit, List<DeployHost> hosts) {
        Set<String> taken = new java.util.HashSet<>();
        for (DeployHost h : hosts) {
            if (h.state != null) {
                taken.addAll(h.state.releaseDirs());
                h.state.manifests().forEach(m -> taken.add(m.id()));
            }
        }
        Instant t = at;
        String id = ReleaseLayout.releaseId(t, commit);
        while (taken.contains(id)) {
            t = t.plusSeconds(1);
            id = ReleaseLayout.releaseId(t, commit);
        }
        return id;
    }

    static void checkPorts(String host, SidePorts ports) throws ConfigException {
        List<Integer> all = List.of(ports.blue().api(), ports.blue().client(), ports.green().api(), ports.green().client());
        if (new LinkedHashSet<>(all).size() != 4) {
            throw new ConfigException(host + ": api_port, client_port, api_alt_port and client_alt_port must be four different"
                    + " ports, found " + all);
        }
    }

    private void readStates(java.util.Collection<DeployHost> hosts, DeployHost alreadyRead) throws OpsException, InterruptedException {
        List<DeployHost> toRead = hosts.stream().filter(h -> h != alreadyRead).toList();
        List<FanOut.Outcome<HostState>> states = FanOut.each(toRead, h -> probe(h, DeployScripts.LockMode.READ, null), s -> { });
        for (int i = 0; i < toRead.size(); i++) {
            toRead.get(i).state = states.get(i).get();
        }
    }

    HostState probe(DeployHost h, DeployScripts.LockMode mode, byte[] lockJson) throws OpsException {
        ExecResult r = h.asApp(DeployScripts.probe(h.layout, mode, h.settings.python(), lockJson));
        if (!r.ok()) {
            throw new OpsException(h.name + ": cannot read the deploy state in " + h.layout.workdir() + ": " + h.tail(r, 3));
        }
        return HostState.parse(r.stdout());
    }

    private HeldLock takeLock(DeployHost h, String operation, String version) throws OpsException, InterruptedException {
        String token = java.util.UUID.randomUUID().toString();
        LockInfo me = new LockInfo(user, from, ProcessHandle.current().pid(), Instant.now().toString(), operation, version, token);
        byte[] json = (me.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        long deadline = request.waitFor() == null ? 0 : System.nanoTime() + request.waitFor().toNanos();
        DeployScripts.LockMode mode = DeployScripts.LockMode.TAKE;
        while (true) {
            HostState s = probe(h, mode, json);
            if (s.error() != null) {
                throw new ConfigException(h.name + ": " + s.error() + "; fix workdir in group_vars");
            }
            if (s.lock().equals("taken")) {
                h.state = s;
                if (mode == DeployScripts.LockMode.TAKE_OVER) {
                    historyLine(h, "lock taken over", "", "", "", "taken over", 0, "stale lock of " + LockInfo.parse(
                            lastStale).describe());
                }
                return new HeldLock(h, token);
            }
            LockInfo holder = LockInfo.parse(s.lockJson());
            if (LockInfo.stale(s.lockAgeSeconds())) {
                listener.stepEnded(new fr.gouv.data.catalogue.ops.report.DeployStep(h.name, "lock", "changed",
                        "taking over a stale lock (no heartbeat for " + s.lockAgeSeconds() + " s): " + holder.describe(),
                        Duration.ZERO));
                lastStale = s.lockJson();
                mode = DeployScripts.LockMode.TAKE_OVER;
                continue;
            }
            if (request.waitFor() == null || System.nanoTime() > deadline) {
                throw new OpsException("the deploy lock of " + env.name() + " is held by " + holder.describe()
                        + (request.waitFor() == null ? "; try again when it ends, or queue with --wait" : "; waited "
                        + request.waitFor().toSeconds() + " s"));
            }
            Thread.sleep(2000);
        }
    }

    private String lastStale = "";

    private void parallel(List<DeployHost> hosts, HostWork work) throws DeployHost.StepFailure, InterruptedException {
        if (hosts.size() == 1) {
            work.run(hosts.get(0));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (DeployHost h : hosts) {
                running.add(pool.submit(() -> {
                    work.run(h);
                    return null;
                }));
            }
            DeployHost.StepFailure first = null;
            for (Future<Void> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof DeployHost.StepFailure sf && first == null) {
                        first = sf;
                    } else if (!(e.getCause() instanceof DeployHost.StepFailure)) {
                        throw new IllegalStateException("a host's deploy failed unexpectedly", e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            // the hosts' threads stop at their current command; wait for them so that the cleanup does not race them
            pool.shutdownNow();
            awaitUninterruptibly(pool);
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs {@code work} on each host on threads of its own and waits for all of them even when this
     * thread is interrupted: a switch, once begun, ends on one side (switched, or switched back).
     * Returns whether an interrupt came meanwhile (this thread's flag is then cleared).
     */
    private boolean toTheEnd(List<DeployHost> hosts, HostWork work) {
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size(), r -> new Thread(r, "catalogue-ops-switch"));
        List<Future<Void>> running = new ArrayList<>();
        for (DeployHost h : hosts) {
            running.add(pool.submit(() -> {
                work.run(h);
                return null;
            }));
        }
        pool.shutdown();
        boolean interrupted = awaitUninterruptibly(pool);
        for (Future<Void> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof DeployHost.StepFailure)) {
                    throw new IllegalStateException("a host's switch failed unexpectedly", e.getCause());
                }
            } catch (InterruptedException cannotHappen) {
                interrupted = true;
            }
        }
        return interrupted | Thread.interrupted();
    }

    /** Waits until the pool's tasks have ended; returns whether this thread was interrupted meanwhile (flag cleared). */
    private static boolean awaitUninterruptibly(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    @FunctionalInterface
    private interface HostWork {
        void run(DeployHost h) throws DeployHost.StepFailure, InterruptedException;
    }

    private void history(DeployHost h, String event, String ref, String commit, String release, String result, long start,
                         String message) {
        historyLine(h, event, ref, commit, release, result, (System.nanoTime() - start) / 1_000_000, message);
    }

    void historyLine(DeployHost h, String event, String ref, String commit, String release, String result, long millis,
                     String message) {
        String line = auditLine(event, ref, commit, release, result, millis, message);
        boolean interrupted = Thread.interrupted();
        try {
            h.appOk(DeployScripts.appendHistory(h.layout, (line + "\n").getBytes(StandardCharsets.UTF_8)), "writing the audit log");
        } catch (OpsException e) {
            h.message = (h.message.isEmpty() ? "" : h.message + "; ") + "audit log not written: " + e.getMessage();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One record of the audit log (one line of JSON, its message masked). */
    private String auditLine(String event, String ref, String commit, String release, String result, long millis, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", Instant.now().toString());
        m.put("event", event);
        m.put("user", user);
        m.put("from", from);
        m.put("ref", ref);
        m.put("commit", commit);
        m.put("release", release);
        m.put("result", result);
        m.put("duration_ms", millis);
        m.put("message", shown().mask(message));
        return toJson(m);
    }

    private static String lastLines(String out, String containing) {
        return String.join("; ", out.lines().filter(l -> l.contains(containing)).map(String::strip).toList());
    }

    private DeployReport report(String operation, String commit, String ref, String message, List<DeployHost> hosts, long start) {
        List<HostDeploy> per = new ArrayList<>();
        for (DeployHost h : hosts) {
            per.add(new HostDeploy(h.name, h.release == null ? "" : h.release.id(), h.release == null ? "" : h.release.side().id(),
                    h.live == null ? "" : h.live.id(), h.reusedVenv, h.reusedNode, h.result.isEmpty() ? "failed" : h.result,
                    shown().mask(h.message), List.copyOf(h.steps)));
        }
        return new DeployReport(env.name(), operation, commit, ref, request.check(), shown().mask(message), per,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The lock while held: a heartbeat every {@link LockInfo#HEARTBEAT_SECONDS} on a daemon
     * thread, and a shutdown hook that releases it when the JVM is stopped (Ctrl-C, SIGTERM)
     * before {@link #close()} does.
     */
    final class HeldLock implements AutoCloseable {
        private final DeployHost host;
        private final String token;
        private final java.util.concurrent.ScheduledExecutorService beat;
        private final Thread hook;
        private boolean released;

        HeldLock(DeployHost host, String token) {
            this.host = host;
            this.token = token;
            this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "catalogue-ops-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            beat.scheduleAtFixedRate(() -> {
                try {
                    host.asApp(DeployScripts.heartbeat(host.layout, token));
                } catch (OpsException | RuntimeException e) {
                    // a lost beat is retried at the next one; the lock goes stale only after a minute without any
                }
            }, LockInfo.HEARTBEAT_SECONDS, LockInfo.HEARTBEAT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            this.hook = new Thread(this::release, "catalogue-ops-lock-release");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        private synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            beat.shutdownNow();
            // an aborted run releases its lock too: the release must not be refused for the abort's interrupt
            boolean interrupted = Thread.interrupted();
            try {
                host.asApp(DeployScripts.releaseLock(host.layout, token));
            } catch (OpsException | RuntimeException e) {
                listener.stepEnded(new fr.gouv.data.catalogue.ops.report.DeployStep(host.name, "lock", "failed",
                        "cannot release the deploy lock (" + e.getMessage() + "); release it with: catalogue-ops lock release "
                                + env.name(), Duration.ZERO));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void close() {
            release();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: the lock is released either way
            }
        }
    }
}
