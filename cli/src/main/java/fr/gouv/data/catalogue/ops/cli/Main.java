package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import picocli.CommandLine;

/** Entry point of the {@code catalogue-ops} command. */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Session.system(), args));
    }

    /** Runs one command line and returns its exit code: 0 done, 1 failed, 2 bad usage or configuration. */
    public static int run(Session session, String... args) {
        CommandLine cli = CatalogueOpsCommand.commandLine(session, args);
        cli.setOut(new java.io.PrintWriter(session.out(), true));
        cli.setErr(new java.io.PrintWriter(session.err(), true));
        // "@file" arguments are values here (-e @vars.yml, encrypt-string "@x"), as in Ansible, never picocli argument files.
        cli.setExpandAtFiles(false);
        cli.setExitCodeExceptionMapper(Main::exitCode);
        cli.setParameterExceptionHandler((e, arguments) -> {
            session.err().println("catalogue-ops: " + e.getMessage().replaceAll("\\s+", " ").strip()
                    + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof OpsException) {
                session.err().println("catalogue-ops: " + e.getMessage());
            } else {
                session.err().println("catalogue-ops: internal error: " + e + " (please report it)");
                if (session.env().containsKey("CATALOGUE_OPS_DEBUG")) {
                    e.printStackTrace(session.err());
                }
            }
            return exitCode(e);
        });
        return cli.execute(args);
    }

    static int exitCode(Throwable e) {
        if (e instanceof ConfigException || e instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return FAILED;
    }
}
