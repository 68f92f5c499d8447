package fr.gouv.data.catalogue.ops.internal.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Every result of a play, and per host the counts Ansible's recap shows. */
public record PlayRecap(List<TaskResult> results, Map<String, Counts> hosts, Duration duration) {
    /**
     * One host's counts; {@code aborted}: tasks the run's abort cut short or never started;
     * {@code unreachable} when the host could not be reached at all.
     */
    public record Counts(int ok, int changed, int failed, int skipped, int aborted, boolean unreachable) {
        /** A host whose run was not aborted. */
        public Counts(int ok, int changed, int failed, int skipped, boolean unreachable) {
            this(ok, changed, failed, skipped, 0, unreachable);
        }

        public boolean succeeded() {
            return failed == 0 && aborted == 0 && !unreachable;
        }
    }

    public boolean succeeded() {
        return hosts.values().stream().allMatch(Counts::succeeded);
    }

    public int total(TaskStatus status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }
}
