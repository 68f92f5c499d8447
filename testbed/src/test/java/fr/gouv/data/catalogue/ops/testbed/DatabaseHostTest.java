package fr.gouv.data.catalogue.ops.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.internal.environment.DatabaseUrl;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database host's files and SQL, and how an environment's inventory maps onto test hosts. */
class DatabaseHostTest {
    private static TestHost host(String name, String address) {
        return new TestHost(name, address, "ns", "veth", Path.of("/nowhere"), "ssh-ed25519 AAAA");
    }

    @Test
    void pgHbaAdmitsTheClientsOnlyToTheirDatabases() {
        String hba = DatabaseHost.hba(List.of("catalogue", "catalogue_test"), "catalogue",
                List.of(host("web-1", "10.213.9.11")));
        assertTrue(hba.endsWith("host    catalogue,catalogue_test    catalogue    10.213.9.11/32    scram-sha-256\n"), hba);
        assertEquals(1, hba.lines().filter(l -> l.startsWith("host") && !l.contains("127.0.0.1/32")).count(),
                "no other network entry");
    }

    @Test
    void thePasswordGoesToPsqlsInputAsAnSqlLiteral() {
        String sql = DatabaseHost.setupSql(List.of("catalogue"), "catalogue", "it's $(x)");
        assertTrue(sql.contains("ALTER ROLE catalogue LOGIN PASSWORD 'it''s $(x)';"), sql);
        assertTrue(sql.contains("WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'catalogue')\\gexec"), sql);
    }

    @Test
    void theUrlPercentEncodesTheHostilePasswordAndParsesBack() throws Exception {
        DatabaseHost.Database db = new DatabaseHost.Database("10.213.9.12", 5432, "catalogue", "catalogue",
                DatabaseHost.HOSTILE_PASSWORD);
        assertEquals("postgresql://catalogue:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%26%2B%3D%27%22%C3%A9%20%24@10.213.9.12:5432/catalogue",
                db.url());
        DatabaseUrl.Parts parts = DatabaseUrl.parse(db.url());
        assertEquals(new DatabaseUrl.Parts("catalogue", DatabaseHost.HOSTILE_PASSWORD, "10.213.9.12", 5432, "catalogue"), parts);
        assertTrue(DatabaseUrl.passwordProblem(db.url()).isEmpty(), "env check accepts it");
        ConfigException bad = assertThrows(ConfigException.class, () -> DatabaseUrl.parse("postgresql://u:p%zz@h/d"));
        assertTrue(bad.getMessage().contains("'%' that starts no %XX escape"), bad.getMessage());
        assertThrows(ConfigException.class, () -> DatabaseUrl.parse("mysql://u:p@h/d"));
    }

    @Test
    void anInventoryMapsOntoTestHostsOnlyInTheTestbedsScheme() throws Exception {
        Map<String, String> good = new LinkedHashMap<>();
        good.put("rehearsal-1", "10.213.201.11");
        good.put("rehearsal-2", "10.213.201.12");
        assertEquals(201, EnvironmentTestbed.subnetOf("rehearsal", good, "hosts"));

        Map<String, String> badName = new LinkedHashMap<>(Map.of("web1", "10.213.201.11"));
        assertEquals("hosts: host web1 should be named rehearsal-1 (testbed up --for makes hosts rehearsal-1..1, in inventory order)",
                assertThrows(ConfigException.class, () -> EnvironmentTestbed.subnetOf("rehearsal", badName, "hosts")).getMessage());
        Map<String, String> mixed = new LinkedHashMap<>();
        mixed.put("rehearsal-1", "10.213.201.11");
        mixed.put("rehearsal-2", "10.213.202.12");
        assertTrue(assertThrows(ConfigException.class, () -> EnvironmentTestbed.subnetOf("rehearsal", mixed, "hosts"))
                .getMessage().contains("needs 10.213.X.12 with the same X"));
        Map<String, String> elsewhere = new LinkedHashMap<>(Map.of("rehearsal-1", "192.168.1.11"));
        assertThrows(ConfigException.class, () -> EnvironmentTestbed.subnetOf("rehearsal", elsewhere, "hosts"));
    }
}
