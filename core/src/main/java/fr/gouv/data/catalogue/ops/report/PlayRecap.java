package fr.gouv.data.catalogue.ops.report;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Every result of a play, and per host the counts Ansible's recap shows. */
public record PlayRecap(List<TaskResult> results, Map<String, Counts> hosts, Duration duration) {
    /** One host's counts; {@code unreachable} when it could not be reached at all. */
    public record Counts(int ok, int changed, int failed, int skipped, boolean unreachable) {
        public boolean succeeded() {
            return failed == 0 && !unreachable;
        }
    }

    public boolean succeeded() {
        return hosts.values().stream().allMatch(Counts::succeeded);
    }

    public int total(TaskStatus status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }
}
