package fr.gouv.data.catalogue.ops.internal.task;

import java.util.List;
import java.util.Set;

/** A task that runs another one where a condition holds: it shows as that task (name, tags, handlers). */
public interface ConditionalTask extends Task {
    Task task();

    @Override
    default String name() {
        return task().name();
    }

    @Override
    default Set<String> tags() {
        return task().tags();
    }

    @Override
    default List<String> notifies() {
        return task().notifies();
    }
}
