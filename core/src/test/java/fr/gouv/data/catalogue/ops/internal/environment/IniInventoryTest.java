package fr.gouv.data.catalogue.ops.internal.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IniInventoryTest {
    private static Inventory parse(String text) throws ConfigException {
        return IniInventory.parse(text, "hosts");
    }

    private static String error(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheOriginalInventory() throws Exception {
        Inventory inv = parse("[web]\ncatalogue.data.gouv.fr ansible_user=root\n");
        assertEquals(List.of("catalogue.data.gouv.fr"), inv.hostsOf("web"));
        assertEquals("root", inv.host("catalogue.data.gouv.fr").orElseThrow().var("ansible_user").orElseThrow());
        assertEquals(List.of("all", "web"), inv.groupsOf("catalogue.data.gouv.fr").stream().map(InventoryGroup::name).toList());
    }

    @Test
    void fullGrammar() throws Exception {
        Inventory inv = parse("""
                # comment
                ; another comment
                lonely.example.org
                [web]
                web[01:03].example.org ansible_port=2222 note="two words" path='/a b'  # trailing comment
                10.0.0.9:2200 ansible_become=True ansible_become_user=app
                [db]
                db-[a:b]
                [backend:children]
                web
                db
                [backend:vars]
                api_port=3579
                name = "quoted"
                [web:vars]
                ratio=0.5
                """);
        assertEquals(List.of("lonely.example.org"), inv.hostsOf(Inventory.UNGROUPED));
        assertEquals(List.of("web01.example.org", "web02.example.org", "web03.example.org", "10.0.0.9"), inv.hostsOf("web"));
        assertEquals(List.of("db-a", "db-b"), inv.hostsOf("db"));
        assertEquals(6, inv.hostsOf("backend").size());
        assertEquals(7, inv.hostsOf(Inventory.ALL).size());
        InventoryHost web2 = inv.host("web02.example.org").orElseThrow();
        assertEquals(2222, web2.var("ansible_port").orElseThrow());
        assertEquals("two words", web2.var("note").orElseThrow());
        assertEquals("/a b", web2.var("path").orElseThrow());
        assertEquals("hosts:5", web2.origin().toString());
        InventoryHost ip = inv.host("10.0.0.9").orElseThrow();
        assertEquals(2200, ip.var("ansible_port").orElseThrow());
        assertEquals(Boolean.TRUE, ip.var("ansible_become").orElseThrow());
        InventoryGroup backend = inv.group("backend").orElseThrow();
        assertEquals(3579, backend.vars().get("api_port").value());
        assertEquals("quoted", backend.vars().get("name").value());
        assertEquals("hosts:13", backend.vars().get("api_port").origin().toString());
        assertEquals(0.5, inv.group("web").orElseThrow().vars().get("ratio").value());
        // depth orders variable merging: all, then backend, then web
        assertEquals(List.of("all", "backend", "web"),
                inv.groupsOf("web01.example.org").stream().map(InventoryGroup::name).toList());
        assertEquals(2, inv.group("web").orElseThrow().depth());
    }

    @Test
    void childrenMayBeDeclaredBeforeTheirGroup() throws Exception {
        Inventory inv = parse("[all:children]\nweb\n[web]\nh1\n");
        assertEquals(List.of("h1"), inv.hostsOf("web"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[web|hosts:1: invalid section header '[web'",
            "[web group]\\nh|hosts:1: invalid section header",
            "[web:stuff]\\nh|hosts:1: section [web:stuff] has unknown type 'stuff'",
            "[web]\\nweb[01:]|hosts:2: host range [01:] has no end",
            "[web]\\nweb[3:1]|hosts:2: host range [3:1] must have begin <= end",
            "[web]\\nweb[01:3]|hosts:2: host range [01:3] must give begin and end the same width",
            "[web]\\nweb[1:x]|hosts:2: host range [1:x] mixes a letter and a number",
            "[web]\\nweb[1:3|hosts:2: unclosed '[' in host pattern",
            "[web]\\nh1 user|hosts:2: expected key=value after host 'h1', found 'user'",
            "[web]\\nh1 a=\"open|hosts:2: no closing quotation mark",
            "[web]\\nh1:abc|hosts:2: host 'h1:abc': 'abc' is not a port number",
            "[web]\\nh1\\n[web:children]\\ndb|hosts:4: section [web:children] names undefined group 'db'",
            "[db:vars]\\nx=1|hosts:1: section [db:vars] is for a group that is not defined",
            "[web]\\nh\\n[web:vars]\\nnovalue|hosts:4: expected key=value in [web:vars]",
    })
    void badInputIsOneLineWithFileAndLine(String text, String expected) {
        String message = error(text.replace("\\n", "\n"));
        assertTrue(message.startsWith(expected), message);
    }

    @Test
    void groupLoopsAreRefused() {
        String message = error("[a:children]\nb\n[b:children]\na\n[a]\n[b]\n");
        assertTrue(message.contains("loop"), message);
    }

    @Test
    void hostRanges() {
        assertEquals(List.of("n0", "n2", "n4"), HostRange.expand("n[0:4:2]"));
        assertEquals(List.of("a1x", "b1x", "a2x", "b2x"), HostRange.expand("[a:b][1:2]x"));
        assertEquals(List.of("web08", "web09", "web10"), HostRange.expand("web[08:10]"));
        assertEquals(List.of("x0", "x1"), HostRange.expand("x[:1]"));
    }
}
