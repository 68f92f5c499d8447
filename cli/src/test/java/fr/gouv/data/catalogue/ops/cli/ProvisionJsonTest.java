package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.gouv.data.catalogue.ops.internal.task.ConsoleReport;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code provision --json} says what the Jenkins step's map says, under the same names. */
class ProvisionJsonTest {
    static PlayRecap recap() {
        Map<String, PlayRecap.Counts> hosts = new LinkedHashMap<>();
        hosts.put("web-1", new PlayRecap.Counts(3, 1, 0, 0, false));
        hosts.put("web-2", new PlayRecap.Counts(0, 0, 1, 0, false));
        return new PlayRecap(List.of(
                new TaskResult("web-1", "nginx", TaskStatus.CHANGED, "installed nginx", null, Duration.ofMillis(120), false),
                new TaskResult("web-2", "nginx", TaskStatus.FAILED, "apt-get failed", null, Duration.ofMillis(80), false)),
                hosts, Duration.ofMillis(900));
    }

    @Test
    void theJsonHoldsTheStepsMapAndTheResults() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ProvisionCommand.toJson(recap(), true));
        List<String> names = new ArrayList<>();
        doc.fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>(ConsoleReport.summary(recap(), true).keySet());
        expected.add("results");
        assertEquals(expected, names);
        assertEquals("[\"web-1\",\"web-2\"]", doc.get("hosts").toString(), "hosts: the names, as in the step's map");
        assertEquals(1, doc.get("per_host").get("web-2").get("failed").asInt());
        assertEquals("failed", doc.get("results").get(1).get("status").asText());
    }
}
