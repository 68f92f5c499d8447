package fr.gouv.data.catalogue.ops.internal.doctor;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.access.HostAccess;
import fr.gouv.data.catalogue.ops.internal.deploy.CodeArchive;
import fr.gouv.data.catalogue.ops.internal.deploy.DeploySettings;
import fr.gouv.data.catalogue.ops.internal.deploy.Masking;
import fr.gouv.data.catalogue.ops.internal.deploy.ReleaseLayout;
import fr.gouv.data.catalogue.ops.internal.deploy.SidePorts;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostFacts;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.internal.staging.GitCredentials;
import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import fr.gouv.data.catalogue.ops.report.DoctorStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Doctor on an environment's web hosts: {@code git_version} resolved once on this machine, then
 * each host in parallel in two round trips (its home folder, then the probe as root), judged by
 * {@link DoctorChecks}. Nothing on a host is changed. A host that cannot be reached is one
 * failed check, the others go on.
 */
public final class Doctor {
    private final Environment env;
    private final HostAccess access;
    private final Masking masking;
    private final Path cacheRoot;
    private final Map<String, String> environment;

    public Doctor(Environment env, HostAccess access, List<String> secrets, Path cacheRoot, Map<String, String> environment) {
        this.env = env;
        this.access = access;
        this.masking = new Masking(secrets);
        this.cacheRoot = cacheRoot;
        this.environment = Map.copyOf(environment);
    }

    public DoctorReport run() throws OpsException, InterruptedException {
        long start = System.nanoTime();
        List<String> hosts = env.webHosts();
        if (hosts.isEmpty()) {
            throw new ConfigException(env.name() + ": no host in group [web]");
        }
        env.prefetchSecrets();
        for (String host : hosts) {
            checkSettings(host);
        }
        HostVariables first = env.variables(hosts.get(0));
        String gitVersion = string(first, "git_version", "master");
        DoctorChecks.Target target = resolve(first, gitVersion);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(hosts.size(), 10));
        try {
            List<Future<List<DoctorCheck>>> running = new ArrayList<>();
            for (String host : hosts) {
                running.add(pool.submit(() -> examine(host, gitVersion, target)));
            }
            List<DoctorCheck> all = new ArrayList<>();
            for (Future<List<DoctorCheck>> r : running) {
                try {
                    all.addAll(r.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof OpsException o) {
                        throw o;
                    }
                    throw new IllegalStateException("doctor failed unexpectedly", e.getCause());
                }
            }
            return new DoctorReport(env.name(), all, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            pool.shutdownNow();
        }
    }

    private DoctorChecks.Target resolve(HostVariables vars, String gitVersion) throws OpsException {
        String repo = string(vars, "git_repo", "");
        if (repo.isBlank()) {
            return new DoctorChecks.Target(null, "git_repo is not defined");
        }
        try {
            return new DoctorChecks.Target(CodeArchive.resolve(cacheRoot, repo, gitVersion, GitCredentials.fromEnvironment(environment))
                    .commit(), null);
        } catch (OpsException e) {
            return new DoctorChecks.Target(null, masking.mask(e.getMessage()));
        }
    }

    private List<DoctorCheck> examine(String name, String gitVersion, DoctorChecks.Target target) throws OpsException {
        ConnectionSettings s = access.settings(env, env.variables(name));
        SshRemote remote;
        try {
            remote = SshRemote.connect(s);
        } catch (OpsException e) {
            return List.of(new DoctorCheck(name, "reachable", DoctorStatus.FAIL, masking.mask(e.getMessage()),
                    "check the host and the network: catalogue-ops ping " + env.name()));
        }
        try (remote) {
            return probe(name, s, remote, gitVersion, target);
        } catch (ConfigException e) {
            throw e;
        } catch (OpsException e) {
            return List.of(new DoctorCheck(name, "reachable", DoctorStatus.FAIL, masking.mask(e.getMessage()),
                    "the connection broke during the probe; check the host and the network: catalogue-ops ping " + env.name()));
        }
    }

    /** The home folder (for the variables that use it), then the probe as root, judged. */
    private List<DoctorCheck> probe(String name, ConnectionSettings s, SshRemote remote, String gitVersion,
                                    DoctorChecks.Target target) throws OpsException {
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
        DeploySettings settings = DeploySettings.of(vars, s.user(), home);
        String workdir = string(vars, "workdir", home + "/catalogage");
        if (!workdir.startsWith("/")) {
            throw new ConfigException(name + ": workdir must be an absolute path, found '" + workdir + "'");
        }
        DoctorScript.Target t = new DoctorScript.Target(new ReleaseLayout(workdir), settings.appUser(), settings.domain(),
                settings.tls(), settings.apiHealth().path(), settings.clientHealth().path(), home, settings.ports());
        Command probe = DoctorScript.probe(t);
        String rootVia = s.become() ? s.becomeUser() : null;
        double before = System.currentTimeMillis() / 1000.0;
        ExecResult out = remote.exec(rootVia == null ? probe : probe.become(rootVia));
        double after = System.currentTimeMillis() / 1000.0;
        if (!out.ok()) {
            return List.of(new DoctorCheck(name, "probe", DoctorStatus.FAIL, masking.mask(out.stderr().strip()),
                    "the login user needs root (ansible_become) to read nginx, supervisor and certbot"));
        }
        String pythonRuntime = string(vars, "python_runtime", "pyenv");
        String nodeRuntime = string(vars, "node_runtime", "nvm");
        String python = pythonRuntime.equals("pyenv") ? string(vars, "pyenv_python_version", "3.8.9")
                : string(vars, "pyenv_python_version", "");
        String node = string(vars, "nvm_node_version", "");
        DoctorChecks.Expectations e = new DoctorChecks.Expectations(env.name(), name, workdir, settings.ports(),
                settings.domain(), settings.tls(), settings.apiHealth().path(), settings.apiHealth().status(), pythonRuntime,
                python, nodeRuntime, node, gitVersion, target);
        return DoctorChecks.judge(e, DoctorFacts.parse(out.stdout()),
                new DoctorChecks.Clock(before + (after - before) / 2, (after - before) / 2), masking);
    }

    /** Bad deploy settings are a configuration error found before any host is contacted. */
    private void checkSettings(String host) throws OpsException {
        DeploySettings settings = DeploySettings.of(env.variables(host), "root", "/root");
        SidePorts p = settings.ports();
        List<Integer> all = List.of(p.blue().api(), p.blue().client(), p.green().api(), p.green().client());
        if (new java.util.HashSet<>(all).size() != 4) {
            throw new ConfigException(host + ": api_port, client_port, api_alt_port and client_alt_port must be four different"
                    + " ports, found " + all);
        }
    }

    static String string(HostVariables vars, String name, String fallback) throws OpsException {
        if (!vars.isDefined(name)) {
            return fallback;
        }
        Object v = vars.get(name);
        return v == null ? fallback : String.valueOf(v).strip();
    }
}
