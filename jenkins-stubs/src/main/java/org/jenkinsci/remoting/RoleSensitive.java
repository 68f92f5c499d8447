package org.jenkinsci.remoting;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface RoleSensitive {
    void checkRoles(RoleChecker checker) throws SecurityException;
}
