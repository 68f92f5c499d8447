package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnvCommandTest {
    @TempDir
    Path tmp;
    OpsFixture ops;
    CliRun cli;

    @BeforeEach
    void setUp() {
        ops = new OpsFixture(tmp).validEnvironment("prod").passwordFile();
        cli = new CliRun(tmp);
    }

    /** The team's production folder, kept with core's test resources (Maven runs tests in the module folder). */
    private Path originalLayout() {
        Path p = Path.of("../core/src/test/resources/original-layout/ops/ansible").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(p), p.toString());
        return p;
    }

    @Test
    void everyCommandHasHelp() {
        List<String[]> paths = new ArrayList<>();
        collect(CatalogueOpsCommand.commandLine(null), new ArrayList<>(), paths);
        assertEquals(43, paths.size(), "commands found: " + paths.size());
        for (String[] path : paths) {
            List<String> args = new ArrayList<>(List.of(path));
            args.add("--help");
            cli.run(args.toArray(String[]::new));
            assertEquals(0, cli.exitCode, String.join(" ", args) + "\n" + cli);
            assertTrue(cli.out.startsWith("Usage: catalogue-ops"), String.join(" ", args) + "\n" + cli);
        }
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<String[]> out) {
        out.add(prefix.toArray(String[]::new));
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getValue().getCommandName().equals(e.getKey())) {
                List<String> next = new ArrayList<>(prefix);
                next.add(e.getKey());
                collect(e.getValue(), next, out);
            }
        }
    }

    @Test
    void listsTheTeamsProductionEnvironment() throws Exception {
        cli.run("--ops-dir", originalLayout().toString(), "env", "list");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("NAME  HOSTS                        GIT_VERSION  TLS  DOMAIN\n"
                + "prod  root@catalogue.data.gouv.fr  master       yes  catalogue.data.gouv.fr\n", cli.out);
    }

    @Test
    void theirSecretsWithOurPasswordFailInOneLine() throws Exception {
        cli.env.put("CATALOGUE_VAULT_PASSWORD_FILE", ops.opsDir().resolve("vault-password").toString());
        cli.run("--ops-dir", originalLayout().toString(), "secrets", "view", "prod");
        assertEquals(1, cli.exitCode, cli.toString());
        assertTrue(cli.oneLineError().startsWith("catalogue-ops: "), cli.err);
        assertTrue(cli.err.contains("prod/secrets: decryption failed"), cli.err);
        assertEquals("", cli.out);
    }

    @Test
    void findsOpsAnsibleFromASubdirectory() throws Exception {
        cli = new CliRun(Files.createDirectories(tmp.resolve("src/deep")));
        cli.run("env", "list");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("prod  root@prod.example.org  master       yes  prod.example.org"), cli.out);
    }

    @Test
    void showMasksSecretsUnlessRevealed() {
        cli.run("env", "show", "prod");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("secret_key = ********    # ops/ansible/environments/prod/secrets:1"), cli.out);
        assertTrue(cli.out.contains("api_port = 3579    # ops/ansible/group_vars/web.yml:3"), cli.out);
        assertTrue(cli.out.contains("workdir = {{ ansible_env.HOME }}/catalogage  (resolved on the host: needs ansible_env)"), cli.out);
        assertFalse(cli.out.contains("k3y"));
        assertFalse(cli.out.contains("p%40ss"));
        cli.run("env", "show", "prod", "--reveal");
        assertTrue(cli.out.contains("secret_key = k3y"), cli.out);
    }

    @Test
    void extraVarsOverrideEverything() {
        cli.run("-e", "git_version=v2", "env", "list");
        assertTrue(cli.out.contains(" v2 "), cli.out);
        cli.run("env", "show", "prod", "-e", "api_port=4000");
        assertTrue(cli.out.contains("api_port = 4000    # -e on the command line"), cli.out);
    }

    @Test
    void checkPassesOnAValidEnvironmentAndFailsWithOneLinePerProblem() {
        cli.run("env", "check", "prod");
        assertEquals(0, cli.exitCode, cli.toString());
        assertEquals("prod: OK (1 host(s) checked)\n", cli.out);
        cli.run("env", "check", "prod", "-e", "api_port=x", "-e", "client_port=0");
        assertEquals(2, cli.exitCode, cli.toString());
        assertEquals(List.of("-e on the command line: api_port must be a port number from 1 to 65535, found 'x'",
                "-e on the command line: client_port must be a port number from 1 to 65535, found '0'",
                "prod: 2 problem(s)"), cli.err.lines().toList());
    }

    @Test
    void badInputsAreOneLineExit2AndChangeNothing() {
        String before = ops.snapshot();
        String[][] cases = {
                {"env", "show", "../etc"},
                {"env", "check", "nope"},
                {"env", "decommission", "prod"},
                {"env", "new", "prod", "--host", "x.example.org"},
                {"env", "new", "Bad", "--host", "x.example.org"},
                {"--ops-dir", "/nonexistent", "env", "list"},
                {"env", "show", "prod", "-e", "no equals"},
                {"--vault-password-file", "missing", "secrets", "view", "prod"},
                {"env", "list", "--bogus"},
        };
        for (String[] args : cases) {
            cli.run(args);
            assertEquals(2, cli.exitCode, String.join(" ", args) + "\n" + cli);
            cli.oneLineError();
            assertEquals(before, ops.snapshot(), String.join(" ", args));
        }
    }

    @Test
    void malformedInventoryIsNamedWithItsLine() {
        ops.file("environments/prod/hosts", "[web\nhost\n");
        cli.run("env", "show", "prod");
        assertEquals(2, cli.exitCode);
        assertEquals("catalogue-ops: ops/ansible/environments/prod/hosts:1: invalid section header '[web'; write [group],"
                + " [group:vars] or [group:children] with no spaces and a closing ']'", cli.oneLineError());
    }

    @Test
    void yamlSyntaxErrorIsNamedWithItsLine() {
        ops.file("environments/prod/group_vars/web.yml", "a: 1\nb: [unclosed\n");
        cli.run("env", "show", "prod");
        assertEquals(2, cli.exitCode);
        assertTrue(cli.oneLineError().startsWith("catalogue-ops: ops/ansible/environments/prod/group_vars/web.yml:3:"), cli.err);
    }

    @Test
    void newThenCheckThenDecommission() {
        cli.run("env", "new", "demo", "--host", "demo.example.org", "--domain", "demo.gouv.fr");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(Files.isRegularFile(ops.opsDir().resolve("environments/demo/secrets")));
        cli.run("env", "list");
        assertTrue(cli.out.contains("demo  root@demo.example.org  master       no   demo.gouv.fr"), cli.out);
        cli.run("env", "check", "demo");
        assertEquals(2, cli.exitCode);
        assertTrue(cli.err.contains("database_url is empty"), cli.err);
        cli.run("env", "decommission", "demo", "--yes");
        assertEquals(0, cli.exitCode, cli.toString());
        assertTrue(cli.out.contains("PostgreSQL instance"), cli.out);
        assertTrue(cli.out.contains("DNS record"), cli.out);
        assertTrue(cli.out.contains("DataPass"), cli.out);
        assertTrue(cli.out.contains("virtual machine"), cli.out);
        assertFalse(Files.exists(ops.opsDir().resolve("environments/demo")));
    }

    @Test
    void decommissionWithoutYesShowsTheChecklistAndKeepsEverything() {
        String before = ops.snapshot();
        cli.run("env", "decommission", "prod");
        assertEquals(2, cli.exitCode);
        assertTrue(cli.oneLineError().contains("refusing to decommission prod without --yes"), cli.err);
        assertTrue(cli.out.contains("[ ] the DNS record of the domain"), cli.out);
        assertEquals(before, ops.snapshot());
    }

    @Test
    void becomeMustBeABoolean() {
        cli.run("env", "check", "prod", "-e", "ansible_become=perhaps");
        assertEquals(2, cli.exitCode);
        assertTrue(cli.err.contains("ansible_become must be true or false, found 'perhaps'"), cli.err);
    }

    @Test
    void keys() {
        cli.run("secretkey");
        assertTrue(cli.out.strip().matches("[a-z0-9!@#$%^&*(\\-_=+)]{50}"), cli.out);
        cli.run("apikey");
        assertTrue(cli.out.strip().matches("[0-9a-f]{64}"), cli.out);
    }
}
