package fr.gouv.data.catalogue.ops.internal.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.internal.keys.RandomKeys;
import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import fr.gouv.data.catalogue.ops.internal.vault.VaultFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentCatalogueTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheTeamsRealLayoutUnchanged() throws Exception {
        Path original = Path.of(getClass().getResource("/original-layout/ops/ansible").toURI());
        EnvironmentCatalogue catalogue = EnvironmentCatalogue.at(original);
        assertEquals(List.of("prod"), catalogue.names());
        Environment prod = catalogue.environment("prod", Environment.Options.of(() -> {
            throw new AssertionError("listing needs no vault password");
        }));
        assertEquals(List.of("catalogue.data.gouv.fr"), prod.webHosts());
        assertEquals("root", prod.inventory().host("catalogue.data.gouv.fr").orElseThrow().var("ansible_user").orElseThrow());
        HostVariables vars = prod.variablesWithoutSecrets("catalogue.data.gouv.fr");
        assertEquals("catalogue.data.gouv.fr", vars.get("domain_name"));
        assertEquals(true, vars.get("tls_enabled"));
        assertEquals(3579, vars.get("api_port"));
        assertEquals(original.resolve("environments/prod") + "/assets/initdata.yml", vars.get("initdata_src"));
        assertThrows(FactsRequiredException.class, () -> vars.get("workdir"));
    }

    @Test
    void theirSecretsWithAnyOtherPasswordFailCleanly() throws Exception {
        Path original = Path.of(getClass().getResource("/original-layout/ops/ansible").toURI());
        OpsFixture ops = new OpsFixture(tmp);
        Environment prod = EnvironmentCatalogue.at(original).environment("prod", Environment.Options.of(ops::vault));
        var e = assertThrows(fr.gouv.data.catalogue.ops.internal.vault.VaultDecryptionException.class, prod::secrets);
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("secrets: decryption failed"), e.getMessage());
    }

    @Test
    void locateSearchesUpwards() throws Exception {
        OpsFixture ops = new OpsFixture(tmp).validEnvironment("prod");
        Path deep = Files.createDirectories(tmp.resolve("a/b/c"));
        assertEquals(ops.opsDir().toRealPath(), EnvironmentCatalogue.locate(deep).opsDir().toRealPath());
        assertThrows(ConfigException.class, () -> EnvironmentCatalogue.locate(Files.createTempDirectory("none")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "Prod", "-x", "a/b", "", ".hidden", "prod\n"})
    void badNamesAreRefusedBeforeAnyFileIsTouched(String name) throws Exception {
        OpsFixture ops = new OpsFixture(tmp).validEnvironment("prod");
        String before = ops.snapshot();
        EnvironmentCatalogue catalogue = EnvironmentCatalogue.at(ops.opsDir());
        ConfigException e = assertThrows(ConfigException.class, () -> catalogue.environment(name, Environment.Options.of(ops::vault)));
        assertTrue(e.getMessage().startsWith("invalid environment name"), e.getMessage());
        assertThrows(ConfigException.class, () -> catalogue.decommission(name));
        assertThrows(ConfigException.class, () -> catalogue.create(
                new EnvironmentCatalogue.NewEnvironment(name, "h", null, null), ops.vault(), ops.secret(), new RandomKeys()));
        assertEquals(before, ops.snapshot());
    }

    @Test
    void unknownEnvironmentListsTheKnownOnes() throws Exception {
        OpsFixture ops = new OpsFixture(tmp).validEnvironment("prod").validEnvironment("staging");
        ConfigException e = assertThrows(ConfigException.class,
                () -> EnvironmentCatalogue.at(ops.opsDir()).environment("demo", Environment.Options.of(ops::vault)));
        assertTrue(e.getMessage().contains("unknown environment 'demo'"), e.getMessage());
        assertTrue(e.getMessage().contains("known: prod, staging"), e.getMessage());
    }

    @Test
    void createWritesACompleteEncryptedEnvironment() throws Exception {
        OpsFixture ops = new OpsFixture(tmp).validEnvironment("prod");
        EnvironmentCatalogue catalogue = EnvironmentCatalogue.at(ops.opsDir());
        Path dir = catalogue.create(new EnvironmentCatalogue.NewEnvironment("demo", "demo.example.org", "deploy", "demo.gouv.fr"),
                ops.vault(), ops.secret(), new RandomKeys());
        assertEquals(List.of("demo", "prod"), catalogue.names());
        assertEquals("[web]\ndemo.example.org ansible_user=deploy\n", Files.readString(dir.resolve("hosts")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets"))));
        String secrets = new String(new VaultFiles(ops.vault()).decrypt(dir.resolve("secrets")).plaintext(), StandardCharsets.UTF_8);
        assertTrue(secrets.matches("(?s).*secret_key: '[a-z0-9!@#$%^&*(\\-_=+)]{50}'\n.*"), secrets);
        assertTrue(secrets.matches("(?s).*config_repo_api_key: '[0-9a-f]{64}'\n.*"), secrets);
        Environment demo = catalogue.environment("demo", new Environment.Options(ExtraVars.none(), ops::vault, HostFacts.NONE, tmp));
        HostVariables vars = demo.variables("demo.example.org");
        assertEquals("demo.gouv.fr", vars.get("domain_name"));
        assertEquals("http://demo.gouv.fr", vars.get("client_url"));
        List<String> problems = EnvironmentCheck.run(demo, false).stream().map(EnvironmentCheck.Problem::toString).toList();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("database_url is empty"), problems.toString());
        assertTrue(Files.isRegularFile(dir.resolve("assets/initdata.yml")));
        assertTrue(Files.list(catalogue.environmentsDir()).noneMatch(p -> p.getFileName().toString().startsWith(".")),
                "no staging folder left");
    }

    @Test
    void createRefusesAnExistingEnvironmentAndChangesNothing() throws Exception {
        OpsFixture ops = new OpsFixture(tmp).validEnvironment("prod");
        String before = ops.snapshot();
        ConfigException e = assertThrows(ConfigException.class, () -> EnvironmentCatalogue.at(ops.opsDir()).create(
                new EnvironmentCatalogue.NewEnvironment("prod", "h.example.org", null, null), ops.vault(), ops.secret(), new RandomKeys()));
        assertTrue(e.getMessage().contains("already exists"));
        assertThrows(ConfigException.class, () -> EnvironmentCatalogue.at(ops.opsDir()).create(
                new EnvironmentCatalogue.NewEnvironment("new", "bad host;rm", null, null), ops.vault(), ops.secret(), new RandomKeys()));
        assertEquals(before, ops.snapshot());
    }

    @Test
    void decommissionRemovesTheWholeFolder() throws Exception {
        OpsFixture ops = new OpsFixture(tmp).validEnvironment("prod").validEnvironment("old");
        EnvironmentCatalogue catalogue = EnvironmentCatalogue.at(ops.opsDir());
        catalogue.decommission("old");
        assertEquals(List.of("prod"), catalogue.names());
        assertFalse(Files.exists(catalogue.environmentsDir().resolve("old")));
        assertEquals(1, Files.list(catalogue.environmentsDir()).count(), "no leftover");
    }
}
