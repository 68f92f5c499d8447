package fr.gouv.data.catalogue.ops.jenkins;

/**
 * Makes the plugin's class loader the thread's context class loader while a step works, and puts the
 * previous one back on close. Jenkins runs a step's work on threads whose context class loader is its
 * core's (SynchronousNonBlockingStepExecution's pool sets it so), which cannot see a plugin's classes;
 * Jinjava's expression language loads its parser through the context class loader, so every template
 * would fail ("ClassNotFoundException: com.hubspot.jinjava.el.ExtendedSyntaxBuilder"), and keep
 * failing until a restart, since it happens in a static initializer.
 */
final class PluginContextClassLoader implements AutoCloseable {
    private final Thread thread;
    private final ClassLoader previous;

    private PluginContextClassLoader() {
        this.thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PluginContextClassLoader.class.getClassLoader());
    }

    /** From now until {@link #close()}, on this thread, the plugin's class loader is the context class loader. */
    static PluginContextClassLoader set() {
        return new PluginContextClassLoader();
    }

    /** Runs {@code work} with the plugin's class loader as the context class loader. */
    static <T> T call(java.util.concurrent.Callable<T> work) throws Exception {
        try (PluginContextClassLoader ignored = set()) {
            return work.call();
        }
    }

    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
