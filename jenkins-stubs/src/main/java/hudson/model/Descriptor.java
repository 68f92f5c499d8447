package hudson.model;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    protected Descriptor(Class<? extends T> clazz) {
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("stub");
    }
}
