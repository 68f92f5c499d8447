package fr.gouv.data.catalogue.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.gouv.data.catalogue.ops.internal.doctor.DoctorConsole;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code doctor ENV}: the facade examines the hosts; this prints one line per check, and the next step for each that is not ok. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Examine ENV's web hosts and change nothing: nginx, the upstreams, supervisor and the live programs,"
                + " health, the site through nginx (a 502 explained), the live release against git_version, the deploy lock,"
                + " the last deploy, leftovers, migrations, TLS, disk, memory, clock, runtime versions."
                + " Exit 0 when every check is ok or warn, 1 when one FAILs.")
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    CatalogueOpsCommand root;

    @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
    String name;

    @Option(names = "--json", description = "One JSON document with every check (status, evidence, advice).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DoctorReport report = root.ops().doctor(name).call();
        PrintStream out = root.session.out();
        if (json) {
            out.println(json(report));
        } else {
            print(out, report);
        }
        return report.healthy() ? Main.OK : Main.FAILED;
    }

    static String json(DoctorReport r) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", r.environment());
        doc.put("healthy", r.healthy());
        doc.put("duration_ms", r.duration().toMillis());
        doc.put("checks", DoctorConsole.checks(r));
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    }

    static void print(PrintStream out, DoctorReport r) {
        DoctorConsole.print(out, r);
    }
}
