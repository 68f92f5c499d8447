package org.jenkinsci.remoting;

import java.io.Serializable;

/**
 * Stub of the Jenkins API for compiling the plugin; never packaged. (The real one has a default
 * method that finds the current channel, and refuses to serialize outside a remoting call.)
 */
public interface SerializableOnlyOverRemoting extends Serializable {
}
