package fr.gouv.data.catalogue.ops.examples.javaapi;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A program using catalogue-ops through its Java API only: it lists the environments of an ops
 * folder, prints an environment's hosts, checks the environment, then provisions it in check mode
 * (or for real with {@code --apply}) and prints the recap.
 *
 * <pre>
 * CheckAndProvision OPS_DIR ENV [--apply]
 * </pre>
 *
 * <p>The vault password is read from {@code OPS_DIR/vault-password}, the hosts are reached as the
 * inventory says. Exit code 0 when the check found nothing and no host failed, 1 when something
 * failed, 2 for bad arguments or configuration.
 */
public final class CheckAndProvision {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private CheckAndProvision() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Does what {@link #main} does, printing to {@code out} and {@code err}.
     *
     * @param args {@code OPS_DIR ENV [--apply]}
     * @param out where progress and the recap go
     * @param err where errors go
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        boolean apply = false;
        for (String a : args) {
            if (a.equals("--apply")) {
                apply = true;
            } else if (a.startsWith("-")) {
                err.println("unknown option " + a + "; usage: CheckAndProvision OPS_DIR ENV [--apply]");
                return USAGE;
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) {
            err.println("usage: CheckAndProvision OPS_DIR ENV [--apply]");
            return USAGE;
        }
        String env = positional.get(1);
        try (CatalogueOps ops = CatalogueOps.open(Path.of(positional.get(0)))) {
            List<String> environments = ops.environments();
            out.println("environments: " + String.join(", ", environments));
            if (!environments.contains(env)) {
                err.println("no environment " + env + " in " + ops.opsDir());
                return USAGE;
            }
            out.println("hosts of " + env + ": " + String.join(", ", ops.hosts(env)));

            List<String> problems = ops.check(env);
            if (!problems.isEmpty()) {
                out.println("check: " + problems.size() + " problem(s)");
                problems.forEach(p -> out.println("  " + p));
                return FAILED;
            }
            out.println("check: OK");

            out.println(apply ? "provisioning " + env + ":" : "provisioning " + env + " in check mode (nothing is changed):");
            PlayRecap recap = ops.provision(env)
                    .check(!apply)
                    .listener(result -> printTask(out, result))
                    .call();
            out.println("recap:");
            for (Map.Entry<String, PlayRecap.Counts> host : recap.hosts().entrySet()) {
                PlayRecap.Counts c = host.getValue();
                out.println("  " + host.getKey() + "  ok=" + c.ok() + " changed=" + c.changed() + " failed=" + c.failed()
                        + " skipped=" + c.skipped() + (c.unreachable() ? " unreachable" : ""));
            }
            return recap.succeeded() ? OK : FAILED;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (OpsException e) {
            err.println(e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return FAILED;
        }
    }

    /** One line per task as it ends; the listener is called from the hosts' threads, hence the lock. */
    private static void printTask(PrintStream out, TaskResult result) {
        synchronized (out) {
            out.println("  " + result.status().name().toLowerCase() + "  " + result.host() + " | " + result.task()
                    + (result.message() == null || result.message().isEmpty() ? "" : ": " + result.message()));
        }
    }
}
