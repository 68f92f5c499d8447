package org.jenkinsci.remoting;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public final class Role {
    public Role(String name) {
        throw new UnsupportedOperationException("stub");
    }

    public String getName() {
        throw new UnsupportedOperationException("stub");
    }
}
