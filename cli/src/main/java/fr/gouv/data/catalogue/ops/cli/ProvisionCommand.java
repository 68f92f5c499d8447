package fr.gouv.data.catalogue.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.environment.Environment;
import fr.gouv.data.catalogue.ops.environment.HostVariables;
import fr.gouv.data.catalogue.ops.provision.ProvisionRecipe;
import fr.gouv.data.catalogue.ops.provision.Templates;
import fr.gouv.data.catalogue.ops.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.remote.SshRemote;
import fr.gouv.data.catalogue.ops.task.EarlyConnector;
import fr.gouv.data.catalogue.ops.task.Play;
import fr.gouv.data.catalogue.ops.task.PlayRecap;
import fr.gouv.data.catalogue.ops.task.PlayRunner;
import fr.gouv.data.catalogue.ops.task.TaskResult;
import fr.gouv.data.catalogue.ops.task.TaskStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code provision ENV}: make ops-provision, idempotent, with a dry run. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Bring ENV's web hosts to what the catalogue needs: runtimes, nginx, supervisor, certbot, nginx's"
                + " configuration and, with tls_enabled, the certificate and its renewal. A second run changes nothing.")
final class ProvisionCommand implements Callable<Integer> {
    @ParentCommand
    CatalogueOpsCommand root;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String name;

    @Option(names = {"-C", "--check"}, description = "Change nothing; report what would change.")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show the differences in changed files.")
    boolean diff;

    @Option(names = {"-l", "--limit"}, split = ",", paramLabel = "HOST", description = "Only these hosts.")
    List<String> limit = new ArrayList<>();

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG",
            description = "Only tasks with these tags: provision, runtimes, nginx, tls.")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--forks"}, defaultValue = "10", description = "Hosts at once (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--json", description = "One JSON document with every result and the recap, instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (forks < 1) {
            throw new ConfigException("--forks must be at least 1");
        }
        Environment env = root.environment(name);
        Set<String> known = new LinkedHashSet<>(env.webHosts());
        for (String h : limit) {
            if (!known.contains(h)) {
                throw new ConfigException("--limit " + h + ": no such host in " + name + "; hosts: " + String.join(", ", known));
            }
        }
        for (String t : tags) {
            if (!ProvisionRecipe.TAGS.contains(t)) {
                throw new ConfigException("--tags " + t + ": unknown tag; tags: " + String.join(", ", ProvisionRecipe.TAGS));
            }
        }
        env.prefetchSecrets();
        List<PlayRunner.Target> targets = new ArrayList<>();
        List<EarlyConnector> early = new ArrayList<>();
        Play play;
        try {
            for (String host : env.webHosts()) {
                HostVariables vars = env.variables(host);
                ConnectionSettings s = ConnectionSettings.from(vars, env.dir().resolve("known_hosts"));
                PlayRunner.Connector connector = () -> SshRemote.connect(s);
                if ((limit.isEmpty() || limit.contains(host)) && early.size() < forks) {
                    // the first hosts' SSH handshakes overlap reading the templates and building the play
                    EarlyConnector e = EarlyConnector.start(connector);
                    early.add(e);
                    connector = e;
                }
                targets.add(new PlayRunner.Target(host, connector, s.become() ? s.becomeUser() : null, vars));
            }
            play = ProvisionRecipe.play(new Templates(root.catalogue().opsDir()));
        } catch (OpsException | RuntimeException e) {
            early.forEach(EarlyConnector::close);
            throw e;
        }
        PrintStream out = root.session.out();
        PlayRunner.Options options = new PlayRunner.Options(check, forks, 0, Set.copyOf(limit), Set.copyOf(tags));
        if (!json) {
            out.println((check ? "checking" : "provisioning") + " " + name + " (" + String.join(", ", targets.stream()
                    .map(PlayRunner.Target::host).filter(h -> limit.isEmpty() || limit.contains(h)).toList()) + ")");
        }
        PlayRecap recap;
        try {
            recap = PlayRunner.run(play, targets, options, json ? r -> { } : r -> progress(out, r));
        } finally {
            early.forEach(EarlyConnector::close);
        }
        if (json) {
            out.println(toJson(recap, check));
        } else {
            printRecap(out, recap);
        }
        return recap.succeeded() ? Main.OK : Main.FAILED;
    }

    private void progress(PrintStream out, TaskResult r) {
        synchronized (out) {
            String status = r.status() == TaskStatus.OK ? "ok" : r.status().name().toLowerCase();
            out.printf("%-8s %s | %s%s (%d ms)%n", status, r.host(), r.handler() ? "handler: " : "", r.task(),
                    r.duration().toMillis());
            if (r.status() == TaskStatus.FAILED) {
                out.println("         " + r.message());
            } else if (r.status() == TaskStatus.CHANGED && !r.message().isEmpty()) {
                out.println("         " + r.message());
            }
            if (diff && !r.diff().isEmpty()) {
                r.diff().lines().forEach(l -> out.println("         " + l));
            }
        }
    }

    static void printRecap(PrintStream out, PlayRecap recap) {
        out.println();
        out.println("RECAP (" + recap.duration().toMillis() + " ms)");
        recap.hosts().forEach((host, c) -> out.printf("%-30s ok=%-3d changed=%-3d failed=%-3d skipped=%-3d unreachable=%d%n",
                host, c.ok(), c.changed(), c.failed(), c.skipped(), c.unreachable() ? 1 : 0));
    }

    static String toJson(PlayRecap recap, boolean check) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("check", check);
        doc.put("succeeded", recap.succeeded());
        doc.put("duration_ms", recap.duration().toMillis());
        Map<String, Object> hosts = new LinkedHashMap<>();
        recap.hosts().forEach((h, c) -> {
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("ok", c.ok());
            counts.put("changed", c.changed());
            counts.put("failed", c.failed());
            counts.put("skipped", c.skipped());
            counts.put("unreachable", c.unreachable());
            hosts.put(h, counts);
        });
        doc.put("hosts", hosts);
        List<Map<String, Object>> results = new ArrayList<>();
        for (TaskResult r : recap.results()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("host", r.host());
            m.put("task", r.task());
            m.put("status", r.status().name().toLowerCase());
            m.put("handler", r.handler());
            m.put("message", r.message());
            m.put("diff", r.diff());
            m.put("duration_ms", r.duration().toMillis());
            results.add(m);
        }
        doc.put("results", results);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    }
}
