package fr.gouv.data.catalogue.ops.internal.deploy;

/** Where a release is in its life, as its manifest on the host records it. */
public enum ReleaseState {
    /** Built and checked, not serving yet (or a deploy died before the switch). */
    PREPARED,
    /** Serving. */
    LIVE,
    /** Served before the live one; a rollback target. */
    PREVIOUS,
    /** Failed before or right after the switch; never a rollback target. */
    FAILED,
    /** Was live, and a rollback replaced it. */
    ROLLED_BACK;

    public String id() {
        return name().toLowerCase();
    }

    public static ReleaseState of(String id) {
        return valueOf(id.toUpperCase());
    }

    /** Whether a release in this state counts as healthy (kept, offered for rollback). */
    public boolean healthy() {
        return this == LIVE || this == PREVIOUS || this == ROLLED_BACK;
    }
}
