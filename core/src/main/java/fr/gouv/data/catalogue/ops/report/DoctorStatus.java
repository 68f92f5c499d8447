package fr.gouv.data.catalogue.ops.report;

/** How one doctor check came out. */
public enum DoctorStatus {
    /** As it should be. */
    OK("ok"),
    /** Works, but needs attention soon (a certificate expiring, old runtimes left behind, a drift). */
    WARN("warn"),
    /** Broken, or about to break the site. */
    FAIL("FAIL");

    private final String label;

    DoctorStatus(String label) {
        this.label = label;
    }

    /**
     * The word the command line prints: {@code ok}, {@code warn} or {@code FAIL}.
     *
     * @return the label
     */
    public String label() {
        return label;
    }
}
