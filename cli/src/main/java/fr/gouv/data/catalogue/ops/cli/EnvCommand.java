package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.api.EnvironmentView;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import fr.gouv.data.catalogue.ops.internal.environment.FactsRequiredException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code env}: the environments of the ops folder. */
@Command(name = "env", mixinStandardHelpOptions = true, description = "List, show, check, create and decommission environments.",
        subcommands = {EnvCommand.ListEnvironments.class, EnvCommand.Show.class, EnvCommand.Check.class,
                EnvCommand.New.class, EnvCommand.Decommission.class})
final class EnvCommand implements Runnable {
    static final String MASK = "********";

    @ParentCommand
    CatalogueOpsCommand root;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, root.session.out());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per environment: name, hosts, git_version, TLS, domain. Needs no vault password.")
    static final class ListEnvironments implements Callable<Integer> {
        @ParentCommand
        EnvCommand env;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = env.root;
            EnvironmentCatalogue catalogue = root.catalogue();
            PrintStream out = root.session.out();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "HOSTS", "GIT_VERSION", "TLS", "DOMAIN"});
            List<String> names = catalogue.names();
            if (names.isEmpty()) {
                throw new ConfigException((java.nio.file.Files.isDirectory(catalogue.environmentsDir())
                        ? "no environment in " + catalogue.environmentsDir() + " (the folder has none)"
                        : "no environments folder in " + catalogue.opsDir())
                        + "; create the first one with: catalogue-ops env new NAME --host HOST");
            }
            List<String> errors = new ArrayList<>();
            for (String name : names) {
                try {
                    rows.add(row(catalogue.environment(name, root.options())));
                } catch (OpsException e) {
                    rows.add(new String[] {name, "error: " + e.getMessage(), "", "", ""});
                    errors.add(e.getMessage());
                }
            }
            Table.print(out, rows);
            // the table may go to a pipe or a file: the errors are on standard error too
            errors.forEach(m -> root.session.err().println("catalogue-ops: " + m));
            return errors.isEmpty() ? Main.OK : Main.USAGE;
        }

        private static String[] row(Environment e) throws OpsException {
            List<String> hosts = new ArrayList<>();
            for (String h : e.webHosts()) {
                Object user = e.inventory().host(h).flatMap(x -> x.var("ansible_user")).orElse(null);
                hosts.add(user == null ? h : user + "@" + h);
            }
            String gitVersion = "";
            String tls = "";
            String domain = "";
            if (!e.webHosts().isEmpty()) {
                HostVariables vars = e.variablesWithoutSecrets(e.webHosts().get(0));
                gitVersion = shown(vars, "git_version");
                tls = Boolean.parseBoolean(shown(vars, "tls_enabled")) || "yes".equals(shown(vars, "tls_enabled")) ? "yes" : "no";
                domain = shown(vars, "domain_name");
            }
            return new String[] {e.name(), hosts.isEmpty() ? "(none)" : String.join(",", hosts), gitVersion, tls, domain};
        }

        private static String shown(HostVariables vars, String name) {
            try {
                Object v = vars.get(name);
                return v == null ? "" : String.valueOf(v);
            } catch (FactsRequiredException e) {
                return vars.variable(name).map(x -> String.valueOf(x.value())).orElse("");
            } catch (OpsException e) {
                return "?";
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The resolved variables of an environment's hosts, with where each comes from; secrets masked.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = "--host", paramLabel = "HOST", description = "Only this host (default: every host of [web]).")
        String host;

        @Option(names = "--reveal", description = "Show secret values instead of masking them.")
        boolean reveal;

        @Override
        public Integer call() throws OpsException {
            EnvironmentView e = host != null ? env.root.ops().environment(name, reveal, host)
                    : env.root.ops().environment(name, reveal);
            PrintStream out = env.root.session.out();
            for (String h : e.variables().keySet()) {
                out.println("# " + e.name() + " / " + h);
                for (EnvironmentView.VariableView v : e.variables().get(h)) {
                    out.println(v.name() + " = " + v.value() + "    # " + v.origin());
                }
            }
            env.root.ops().warnings(name).forEach(w -> env.root.session.err().println("catalogue-ops: warning: " + w));
            return Main.OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check that an environment has what a deploy needs; one line per problem.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = "--reveal", description = "Include secret-derived details (the percent-encoded database URL).")
        boolean reveal;

        @Override
        public Integer call() throws OpsException {
            List<String> problems = env.root.ops().check(name, reveal);
            problems.forEach(env.root.session.err()::println);
            env.root.ops().warnings(name).forEach(w -> env.root.session.err().println("warning: " + w));
            if (problems.isEmpty()) {
                env.root.session.out().println(name + ": OK (" + env.root.ops().hosts(name).size() + " host(s) checked)");
                return Main.OK;
            }
            env.root.session.err().println(name + ": " + problems.size() + " problem(s)");
            return Main.USAGE;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Create an environment: inventory, group_vars/web.yml, and an encrypted secrets file"
                    + " with a generated secret_key and config_repo_api_key.")
    static final class New implements Callable<Integer> {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "ENV", description = "Name of the new environment.")
        String name;

        @Option(names = "--host", required = true, paramLabel = "HOST", description = "The host (DNS name or IP).")
        String host;

        @Option(names = "--user", paramLabel = "USER", description = "SSH user (default: root).")
        String user;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "Domain served (default: the host).")
        String domain;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = env.root;
            Path dir = root.ops().newEnvironment(name, host, user, domain);
            root.session.out().println("created " + dir);
            root.session.out().println("next: catalogue-ops secrets edit " + name
                    + "  (set database_url and the DataPass credentials), then: catalogue-ops env check " + name);
            return Main.OK;
        }
    }

    @Command(name = "decommission", mixinStandardHelpOptions = true,
            description = "Remove an environment's folder (needs --yes) and list the external resources to release.")
    static final class Decommission implements Callable<Integer> {
        @ParentCommand
        EnvCommand env;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment to remove.")
        String name;

        @Option(names = "--yes", description = "Confirm the removal.")
        boolean yes;

        @Override
        public Integer call() throws OpsException {
            CatalogueOps ops = env.root.ops();
            List<String> hosts = ops.hosts(name);
            Path dir = ops.opsDir().resolve("environments").resolve(name);
            PrintStream out = env.root.session.out();
            if (!yes) {
                printChecklist(out, name, hosts);
                env.root.session.err().println("catalogue-ops: refusing to decommission " + name + " without --yes;"
                        + " it removes " + dir + " (make sure the environment is no longer used)");
                return Main.USAGE;
            }
            Path removed = ops.decommission(name);
            out.println("removed " + removed + " (commit the removal in a reviewed pull request)");
            printChecklist(out, name, hosts);
            return Main.OK;
        }

        private static void printChecklist(PrintStream out, String name, List<String> hosts) {
            out.println("external resources of " + name + " to release by hand (hosts: " + String.join(", ", hosts) + "):");
            for (String item : CatalogueOps.DECOMMISSION_CHECKLIST) {
                out.println("  [ ] " + item);
            }
        }
    }

}
