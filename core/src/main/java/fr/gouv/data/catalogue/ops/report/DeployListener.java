package fr.gouv.data.catalogue.ops.report;

/** Progress of a deploy or rollback, called as each step ends on a host (from the hosts' threads). */
@FunctionalInterface
public interface DeployListener {
    /** A listener that does nothing. */
    DeployListener NONE = step -> { };

    /**
     * A step ended on a host.
     *
     * @param step how it ended
     */
    void stepEnded(DeployStep step);
}
