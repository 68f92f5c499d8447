package fr.gouv.data.catalogue.ops.internal.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a release records about itself in {@code releases/<id>/.release.json}: the host is the
 * source of truth, so a deploy from another machine sees the same history. One JSON line.
 * {@code settings} is a digest of what the release was started with (its .env and the side's
 * program file), so that a redeploy of the same commit with changed settings is not taken for a no-op.
 */
public record ReleaseManifest(String id, String commit, String ref, String deployedBy, String from, String at,
                              ReleaseState state, Side side, String settings) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ReleaseManifest withState(ReleaseState s) {
        return new ReleaseManifest(id, commit, ref, deployedBy, from, at, s, side, settings);
    }

    public ReleaseManifest withSide(Side s) {
        return new ReleaseManifest(id, commit, ref, deployedBy, from, at, state, s, settings);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("commit", commit);
        m.put("ref", ref);
        m.put("deployed_by", deployedBy);
        m.put("from", from);
        m.put("at", at);
        m.put("state", state.id());
        m.put("side", side.id());
        m.put("settings", settings);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A manifest read back; empty when the text is not one (a half-written or foreign file). */
    public static Optional<ReleaseManifest> parse(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject() || !ReleaseLayout.isReleaseId(n.path("id").asText(null))) {
                return Optional.empty();
            }
            return Optional.of(new ReleaseManifest(n.path("id").asText(), n.path("commit").asText(""), n.path("ref").asText(""),
                    n.path("deployed_by").asText(""), n.path("from").asText(""), n.path("at").asText(""),
                    ReleaseState.of(n.path("state").asText("prepared")), Side.of(n.path("side").asText("blue")),
                    n.path("settings").asText("")));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
