package org.jenkinsci.remoting;

import java.util.Collection;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public abstract class RoleChecker {
    public abstract void check(RoleSensitive subject, Collection<Role> expected) throws SecurityException;

    public void check(RoleSensitive subject, Role expected) throws SecurityException {
        throw new UnsupportedOperationException("stub");
    }

    public void check(RoleSensitive subject, Role... expected) throws SecurityException {
        throw new UnsupportedOperationException("stub");
    }
}
