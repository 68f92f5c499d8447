package fr.gouv.data.catalogue.ops.internal.task;

/** How a task ended on a host, as in Ansible's recap. */
public enum TaskStatus { OK, CHANGED, FAILED, SKIPPED }
