package fr.gouv.data.catalogue.ops.report;

/** How a task ended on a host, as in Ansible's recap. */
public enum TaskStatus {
    /** Already as it should be. */
    OK,
    /** Changed (or would be, in check mode). */
    CHANGED,
    /** Failed; the host stops there. */
    FAILED,
    /** Not run (its condition is false, or its tags were not asked for). */
    SKIPPED,
    /** The run was interrupted during the task or before it started, which says nothing about the host. */
    ABORTED
}
