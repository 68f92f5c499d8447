package hudson.remoting;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface Future<V> extends java.util.concurrent.Future<V> {
}
