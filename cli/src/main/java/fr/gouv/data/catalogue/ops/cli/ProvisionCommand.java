package fr.gouv.data.catalogue.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.internal.task.ConsoleReport;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        fr.gouv.data.catalogue.ops.api.ProvisionCommand provision = root.ops().provision(name).check(check).forks(forks)
                .limit(limit.toArray(String[]::new)).tags(tags.toArray(String[]::new));
        List<String> hosts;
        try {
            hosts = provision.hosts();
        } catch (BadOptionException e) {
            throw new ConfigException("--" + e.getMessage());
        }
        PrintStream out = root.session.out();
        if (!json) {
            out.println((check ? "checking" : "provisioning") + " " + name + " (" + String.join(", ", hosts) + ")");
        }
        PlayRecap recap = provision.listener(json ? RunListener.NONE : ConsoleReport.progress(out, diff)).call();
        if (json) {
            out.println(toJson(recap, check));
        } else {
            ConsoleReport.recap(out, recap);
        }
        root.ops().warnings(name).forEach(w -> root.session.err().println("catalogue-ops: warning: " + w));
        return recap.succeeded() ? Main.OK : Main.FAILED;
    }

    static String toJson(PlayRecap recap, boolean check) throws Exception {
        Map<String, Object> doc = ConsoleReport.summary(recap, check);
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
