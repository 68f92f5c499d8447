package fr.gouv.data.catalogue.ops.internal.task;

/**
 * How a task ended on a host, as in Ansible's recap; {@code ABORTED}: the run was interrupted
 * during the task or before it started, which says nothing about the host.
 */
public enum TaskStatus { OK, CHANGED, FAILED, SKIPPED, ABORTED }
