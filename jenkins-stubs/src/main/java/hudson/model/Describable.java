package hudson.model;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface Describable<T extends Describable<T>> {
    Descriptor<T> getDescriptor();
}
