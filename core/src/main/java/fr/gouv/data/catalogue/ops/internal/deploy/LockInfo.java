package fr.gouv.data.catalogue.ops.internal.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who holds an environment's deploy lock ({@code lock.json} in the lock folder): user, machine or
 * CI build, pid, since when, which operation and version.
 */
public record LockInfo(String user, String from, long pid, String since, String operation, String version, String token) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A heartbeat older than this means the holder is gone (killed, machine lost). */
    public static final long STALE_AFTER_SECONDS = 60;
    /** How often a running deploy refreshes its heartbeat. */
    public static final long HEARTBEAT_SECONDS = 10;

    /** Whether a lock whose heartbeat is {@code heartbeatAgeSeconds} old (host clock) is stale. */
    public static boolean stale(long heartbeatAgeSeconds) {
        return heartbeatAgeSeconds > STALE_AFTER_SECONDS;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", user);
        m.put("from", from);
        m.put("pid", pid);
        m.put("since", since);
        m.put("operation", operation);
        m.put("version", version);
        m.put("token", token);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static LockInfo parse(String json) {
        try {
            JsonNode n = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
            return new LockInfo(n.path("user").asText("?"), n.path("from").asText("?"), n.path("pid").asLong(0),
                    n.path("since").asText("?"), n.path("operation").asText("deploy"), n.path("version").asText(""), n.path("token").asText(""));
        } catch (JsonProcessingException e) {
            return new LockInfo("?", "?", 0, "?", "?", "", "");
        }
    }

    /** One line for messages: who, from where, pid, since, what. */
    public String describe() {
        return user + " from " + from + " (pid " + pid + ") since " + since + ", " + operation
                + (version.isEmpty() ? "" : " " + version);
    }
}
