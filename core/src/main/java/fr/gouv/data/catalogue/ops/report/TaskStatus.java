package fr.gouv.data.catalogue.ops.report;

/** How a task ended on a host, as in Ansible's recap. */
public enum TaskStatus { OK, CHANGED, FAILED, SKIPPED }
