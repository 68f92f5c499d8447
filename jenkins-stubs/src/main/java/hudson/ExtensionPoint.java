package hudson;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface ExtensionPoint {
}
