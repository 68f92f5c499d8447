package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every result of a play, and per host the counts Ansible's recap shows.
 *
 * @param results every task's result, as they ended
 * @param hosts per host, its counts
 * @param duration the play's wall time
 */
public record PlayRecap(List<TaskResult> results, Map<String, Counts> hosts, Duration duration) {
    /**
     * One host's counts.
     *
     * @param ok tasks already as they should be
     * @param changed tasks that changed something
     * @param failed tasks that failed
     * @param skipped tasks not run
     * @param aborted tasks the run's abort cut short or never started
     * @param unreachable whether the host could not be reached at all
     */
    public record Counts(int ok, int changed, int failed, int skipped, int aborted, boolean unreachable) {
        /**
         * A host whose run was not aborted.
         *
         * @param ok tasks already as they should be
         * @param changed tasks that changed something
         * @param failed tasks that failed
         * @param skipped tasks not run
         * @param unreachable whether the host could not be reached at all
         */
        public Counts(int ok, int changed, int failed, int skipped, boolean unreachable) {
            this(ok, changed, failed, skipped, 0, unreachable);
        }

        /**
         * Whether the host was reached and no task failed or was aborted.
         *
         * @return true when the host succeeded
         */
        public boolean succeeded() {
            return failed == 0 && aborted == 0 && !unreachable;
        }
    }

    /**
     * Whether every host succeeded.
     *
     * @return true when no host failed or was unreachable
     */
    public boolean succeeded() {
        return hosts.values().stream().allMatch(Counts::succeeded);
    }

    /**
     * How many results have this status, over all hosts.
     *
     * @param status the status
     * @return the count
     */
    public int total(TaskStatus status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }
}
