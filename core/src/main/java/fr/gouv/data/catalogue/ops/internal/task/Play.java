package fr.gouv.data.catalogue.ops.internal.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ordered tasks and the named handlers they may notify. */
public final class Play {
    private final String name;
    private final List<Task> tasks;
    private final Map<String, Task> handlers;
    private final List<String> handlerOrder;

    private Play(String name, List<Task> tasks, Map<String, Task> handlers) {
        this.name = name;
        this.tasks = List.copyOf(tasks);
        this.handlerOrder = List.copyOf(handlers.keySet());
        this.handlers = Map.copyOf(handlers);
        for (Task t : tasks) {
            for (String h : t.notifies()) {
                if (!handlers.containsKey(h)) {
                    throw new IllegalArgumentException("task '" + t.name() + "' notifies unknown handler '" + h + "'");
                }
            }
        }
    }

    public String name() {
        return name;
    }

    public List<Task> tasks() {
        return tasks;
    }

    /** Handlers in the order they were added (the order they run in). */
    public List<String> handlerOrder() {
        return handlerOrder;
    }

    public Task handler(String name) {
        return handlers.get(name);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public static final class Builder {
        private final String name;
        private final List<Task> tasks = new ArrayList<>();
        private final Map<String, Task> handlers = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder task(Task task) {
            tasks.add(task);
            return this;
        }

        public Builder tasks(List<? extends Task> more) {
            tasks.addAll(more);
            return this;
        }

        public Builder handler(String handlerName, Task task) {
            handlers.put(handlerName, task);
            return this;
        }

        public Play build() {
            return new Play(name, tasks, handlers);
        }
    }
}
