package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;
import java.util.List;

/**
 * What doctor found on an environment's web hosts: every check of every host, in order.
 *
 * @param environment the environment
 * @param checks every check, grouped by host in the inventory's order
 * @param duration how long it took
 */
public record DoctorReport(String environment, List<DoctorCheck> checks, Duration duration) {
    /**
     * A copy of the list.
     *
     * @param environment the environment
     * @param checks every check
     * @param duration how long it took
     */
    public DoctorReport {
        checks = List.copyOf(checks);
    }

    /**
     * Whether no check failed (warnings allowed): the command line's exit code 0.
     *
     * @return true when no check is {@link DoctorStatus#FAIL}
     */
    public boolean healthy() {
        return checks.stream().noneMatch(DoctorCheck::failed);
    }

    /**
     * The checks of one host.
     *
     * @param host the host
     * @return its checks, in order
     */
    public List<DoctorCheck> of(String host) {
        return checks.stream().filter(c -> c.host().equals(host)).toList();
    }

    /**
     * The first check of a host with this name.
     *
     * @param host the host
     * @param check the check's name
     * @return the check, or null when there is none
     */
    public DoctorCheck check(String host, String check) {
        return checks.stream().filter(c -> c.host().equals(host) && c.check().equals(check)).findFirst().orElse(null);
    }
}
