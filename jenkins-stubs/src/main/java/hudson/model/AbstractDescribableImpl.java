package hudson.model;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
    @Override
    public Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException("stub");
    }
}
