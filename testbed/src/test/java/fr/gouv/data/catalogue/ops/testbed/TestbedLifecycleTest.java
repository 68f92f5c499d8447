package fr.gouv.data.catalogue.ops.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nothing leaks: after close, and after a run that was killed before it could close. */
class TestbedLifecycleTest {
    @BeforeEach
    void root() {
        TestbedExtension.requireRoot();
    }

    @Test
    void closeLeavesNothingBehind() throws Exception {
        String name = TestHosts.newName();
        try (TestHosts hosts = TestHosts.create(name, 1, false)) {
            assertFalse(TestHosts.leftovers(name).isEmpty(), "while up, its pieces exist");
            assertTrue(TestHosts.list().contains(name));
        }
        assertEquals(List.of(), TestHosts.leftovers(name));
        assertFalse(TestHosts.list().contains(name));
    }

    @Test
    void aKilledRunIsReapedByTheNextOne() throws Exception {
        String name = TestHosts.newName();
        TestHosts hosts = TestHosts.create(name, 1, false);
        // as if the owner had been killed: a process id that is not running
        Path state = TestHosts.STATE.resolve(name).resolve("run.properties");
        Files.writeString(state, Files.readString(state).replaceAll("owner.pid=\\d+", "owner.pid=999999999"));
        TestHosts.reapStale();
        assertEquals(List.of(), TestHosts.leftovers(name));
        hosts.close(); // idempotent
    }

    @Test
    void persistentTestbedsAreNotReaped() throws Exception {
        String name = TestHosts.newName();
        try (TestHosts hosts = TestHosts.create(name, 1, true)) {
            Path state = TestHosts.STATE.resolve(name).resolve("run.properties");
            Files.writeString(state, Files.readString(state).replaceAll("owner.pid=\\d+", "owner.pid=999999999"));
            TestHosts.reapStale();
            assertTrue(TestHosts.list().contains(name));
        }
        assertEquals(List.of(), TestHosts.leftovers(name));
    }
}
