package fr.gouv.data.catalogue.ops.internal.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlInventoryTest {
    @Test
    void readsGroupsHostsVarsAndChildren() throws Exception {
        Inventory inv = YamlInventory.parse("""
                all:
                  vars:
                    base: 1
                  hosts:
                    solo.example.org:
                  children:
                    web:
                      hosts:
                        web[1:2].example.org:
                          ansible_user: deploy
                          ansible_port: 2222
                      vars:
                        api_port: 3579
                    db:
                      hosts:
                        db.example.org: {}
                """, "hosts.yml");
        assertEquals(List.of("web1.example.org", "web2.example.org"), inv.hostsOf("web"));
        assertEquals(List.of("solo.example.org"), inv.hostsOf(Inventory.UNGROUPED));
        InventoryHost h = inv.host("web2.example.org").orElseThrow();
        assertEquals("deploy", h.var("ansible_user").orElseThrow());
        assertEquals(2222, h.var("ansible_port").orElseThrow());
        assertEquals("hosts.yml:9", h.origin().toString());
        assertEquals(1, inv.group("all").orElseThrow().vars().get("base").value());
        assertEquals("hosts.yml:13", inv.group("web").orElseThrow().vars().get("api_port").origin().toString());
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlInventory.parse("all:\n  hosts:\n    a: [\n", "hosts.yml"));
        assertTrue(e.getMessage().startsWith("hosts.yml:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
    }

    @Test
    void unknownGroupKeyIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlInventory.parse("all:\n  host:\n    a:\n", "hosts.yml"));
        assertEquals("hosts.yml:2: group 'all' has unknown key 'host'; expected hosts, vars or children", e.getMessage());
    }

    @Test
    void wrongShapeIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlInventory.parse("all:\n  hosts:\n    - a\n", "hosts.yml"));
        assertEquals("hosts.yml:3: hosts of group 'all' should be a mapping, found a list", e.getMessage());
    }
}
