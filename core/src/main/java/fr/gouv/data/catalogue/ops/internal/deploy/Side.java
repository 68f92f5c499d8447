package fr.gouv.data.catalogue.ops.internal.deploy;

/**
 * One half of the blue/green pair: each side has its own API and client ports, so a new release
 * starts beside the live one and nginx switches between them.
 */
public enum Side {
    BLUE, GREEN;

    public String id() {
        return name().toLowerCase();
    }

    public Side other() {
        return this == BLUE ? GREEN : BLUE;
    }

    public static Side of(String id) {
        return "green".equals(id) ? GREEN : BLUE;
    }

    /** The ports a side runs on. */
    public record Ports(int api, int client) {
    }
}
