package fr.gouv.data.catalogue.ops.report;

/**
 * One check doctor made on one host.
 *
 * @param host the host
 * @param check what was checked, e.g. {@code nginx -t}, {@code through nginx}, {@code tls certificate web.example.org}
 * @param status how it came out
 * @param evidence what was seen on the host (masked: no secret value)
 * @param advice for a check that is not ok: the likely cause and the next command to run; empty when ok
 */
public record DoctorCheck(String host, String check, DoctorStatus status, String evidence, String advice) {
    /**
     * Never null texts.
     *
     * @param host the host
     * @param check what was checked
     * @param status how it came out
     * @param evidence what was seen
     * @param advice the cause and the next command, empty when ok
     */
    public DoctorCheck {
        evidence = evidence == null ? "" : evidence;
        advice = advice == null ? "" : advice;
    }

    /**
     * Whether the check failed.
     *
     * @return true for {@link DoctorStatus#FAIL}
     */
    public boolean failed() {
        return status == DoctorStatus.FAIL;
    }
}
