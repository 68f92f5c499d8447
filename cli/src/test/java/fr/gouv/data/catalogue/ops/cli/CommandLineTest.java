package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line is built with only the command its arguments name. */
class CommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void theCommandIsTheFirstWordThatIsNoGlobalOptionNorItsValue() {
        assertEquals("rollback", CatalogueOpsCommand.commandName("--ops-dir", "deploy", "rollback", "prod"));
        assertEquals("deploy", CatalogueOpsCommand.commandName("-e", "env=x", "--vault-id", "a@b", "-e@vars.yml", "deploy", "prod"));
        assertEquals("env", CatalogueOpsCommand.commandName("--ask-vault-pass", "--ops-dir=x", "env", "list"));
        assertNull(CatalogueOpsCommand.commandName("--version"));
        assertNull(CatalogueOpsCommand.commandName("-e", "deploy"));
    }

    @Test
    void theGlobalOptionsThatTakeAValueAreAllKnown() {
        Set<String> taking = new TreeSet<>();
        for (OptionSpec o : CatalogueOpsCommand.commandLine(null).getCommandSpec().options()) {
            if (o.arity().max() > 0) {
                taking.addAll(List.of(o.names()));
            }
        }
        assertEquals(taking, new TreeSet<>(CatalogueOpsCommand.VALUE_OPTIONS));
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuiltAndAnUnknownOneGetsEveryName() {
        CommandLine one = CatalogueOpsCommand.commandLine(null, "-e", "x=1", "rollback", "prod");
        assertEquals(Set.of("rollback"), one.getSubcommands().keySet());
        assertEquals(CatalogueOpsCommand.SUBCOMMANDS.size(), CatalogueOpsCommand.commandLine(null, "rolback").getSubcommands().size());

        CliRun cli = new CliRun(tmp);
        cli.run("rolback", "prod");
        assertEquals(Main.USAGE, cli.exitCode, cli.toString());
        assertEquals("catalogue-ops: Unmatched arguments from index 0: 'rolback', 'prod' (see: catalogue-ops --help)",
                cli.oneLineError());
        cli.run();
        assertEquals(0, cli.exitCode, cli.toString());
        for (String name : List.of("env", "deploy", "rollback", "doctor", "certs")) {
            assertTrue(cli.out.contains("\n  " + name + " "), "the usage lists " + name + ":\n" + cli.out);
        }
    }
}
