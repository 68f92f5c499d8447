package fr.gouv.data.catalogue.ops.cli.badinput;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of every bad-input table, checked for one thing only: no output looks like a bug (an
 * internal error, an exception's name, a stack frame), even where a row's other expectations are wrong.
 */
class NoInternalErrorTest {
    @TempDir
    Path tmp;

    static List<Row> all() {
        List<Row> rows = new ArrayList<>();
        rows.addAll(InventoryBadInputTest.rows());
        rows.addAll(VariablesBadInputTest.rows());
        rows.addAll(VaultBadInputTest.rows());
        rows.addAll(SecretsEditBadInputTest.rows());
        rows.addAll(CatalogueBadInputTest.rows());
        rows.addAll(StagingBadInputTest.rows());
        rows.addAll(CliArgumentsBadInputTest.rows());
        rows.addAll(CertsBadInputTest.rows());
        rows.addAll(DayTwoBadInputTest.rows());
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> noRowOutputsAnInternalError() {
        return all().stream().map(r -> DynamicTest.dynamicTest(r.toString(),
                () -> BadInput.checkNoInternalError(r, BadInput.run(r, tmp).cli())));
    }

    /** The check itself catches what it is for: a test that cannot fail is a defect. */
    @Test
    void theCheckFailsOnAnInternalError() throws Exception {
        Row row = BadInput.row("probe", "env", "list");
        fr.gouv.data.catalogue.ops.cli.CliRun cli = new fr.gouv.data.catalogue.ops.cli.CliRun(tmp);
        for (String output : List.of("catalogue-ops: internal error: x (please report it)",
                "catalogue-ops: java.lang.NumberFormatException: For input string",
                "boom\n\tat picocli.CommandLine.execute(CommandLine.java:2078)")) {
            cli.out = "";
            cli.err = output;
            org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> BadInput.checkNoInternalError(row, cli));
        }
    }

    @Test
    void theTablesHoldAtLeast120Rows() {
        org.junit.jupiter.api.Assertions.assertTrue(all().size() >= 120, "rows: " + all().size());
    }
}
