package fr.gouv.data.catalogue.ops.internal.certs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The reissues recorded on a host ({@link Certbot#REISSUE_LOG}, one JSON line per attempt), and
 * the rule they serve: a second reissue of the same name within {@link #MIN_INTERVAL} is refused
 * unless forced, since the ACME server counts every certificate it issues for the same names.
 * Times are the host's clock, so every machine that deploys sees the same.
 */
final class ReissueLog {
    static final Duration MIN_INTERVAL = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One attempt: when (host clock), by whom, from where, and how it ended ({@code started}, {@code issued}, {@code failed}). */
    record Entry(String name, Instant at, String user, String from, String result) {
    }

    private ReissueLog() {
    }

    static String line(Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", e.at().toString());
        n.put("epoch", e.at().getEpochSecond());
        n.put("name", e.name());
        n.put("result", e.result());
        n.put("user", e.user());
        n.put("from", e.from());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The latest attempt for {@code name}; lines that do not read (cut by a crash) are skipped. */
    static Optional<Entry> last(String text, String name) {
        Entry last = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && name.equals(n.path("name").asText()) && n.path("epoch").canConvertToLong()) {
                    Entry e = new Entry(name, Instant.ofEpochSecond(n.path("epoch").asLong()), n.path("user").asText(""),
                            n.path("from").asText(""), n.path("result").asText(""));
                    if (last == null || !e.at().isBefore(last.at())) {
                        last = e;
                    }
                }
            } catch (JsonProcessingException ex) {
                // a line cut by a crash: the others still count
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * Why a reissue of {@code name} on {@code host} is refused now, or empty when it may go ahead.
     *
     * @param now the host's clock
     */
    static Optional<String> refusal(String host, String name, String records, Instant now) {
        Optional<Entry> last = last(records, name);
        if (last.isEmpty()) {
            return Optional.empty();
        }
        Entry e = last.get();
        Duration ago = Duration.between(e.at(), now);
        if (ago.compareTo(MIN_INTERVAL) >= 0) {
            return Optional.empty();
        }
        long minutes = Math.max(0, ago.toMinutes());
        String what = e.result().equals("issued") ? "was reissued" : "had a reissue attempted (" + e.result() + ")";
        return Optional.of(host + ": " + name + " " + what + " " + minutes + " min ago (" + e.at() + ", by " + e.user()
                + " from " + e.from() + "); the ACME server limits the certificates it issues for the same names, so a"
                + " second reissue within an hour is refused: wait " + (MIN_INTERVAL.toMinutes() - minutes)
                + " min, or pass --force");
    }
}
