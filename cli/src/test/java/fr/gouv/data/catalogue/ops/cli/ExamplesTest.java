package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example ops folder a newcomer copies must stay valid. */
class ExamplesTest {
    private final Path examples = Path.of("../examples/ops/ansible").toAbsolutePath().normalize();

    @Test
    void exampleEnvironmentPassesItsCheck() {
        CliRun cli = new CliRun(examples.getParent()).run("--ops-dir", examples.toString(), "env", "check", "demo");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("demo: OK (1 host(s) checked)\n", cli.out);
    }

    @Test
    void exampleSecretsOpenWithTheExamplePassword() {
        CliRun cli = new CliRun(examples.getParent()).run("--ops-dir", examples.toString(), "secrets", "view", "demo");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("database_url: 'postgresql://catalogue:c%40t%2Fal%3Fogue%21@db.catalogue.test:5432/catalogue'"));
    }

    @Test
    void rehearsalEnvironmentTargetsAWebAndADatabaseHost() throws Exception {
        CliRun cli = new CliRun(examples.getParent()).run("--ops-dir", examples.toString(), "env", "check", "rehearsal");
        assertEquals(0, cli.exitCode, cli.toString());
        cli.run("--ops-dir", examples.toString(), "env", "show", "rehearsal", "--reveal");
        assertEquals(0, cli.exitCode, cli.toString());
        String url = cli.out.lines().filter(l -> l.startsWith("database_url")).findFirst().orElseThrow();
        assertTrue(url.contains("@10.213.201.12:5432/catalogue"), url);
        String password = fr.gouv.data.catalogue.ops.internal.environment.DatabaseUrl.parse(url.substring(url.indexOf("postgresql://"))
                .split("\\s")[0]).password();
        assertEquals("p@ss:w/rd?#[]%&+='\"é $", password, "every reserved character, percent-encoded in the URL");
    }
}
