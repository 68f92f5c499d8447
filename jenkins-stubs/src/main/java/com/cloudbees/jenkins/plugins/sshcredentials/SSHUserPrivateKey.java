package com.cloudbees.jenkins.plugins.sshcredentials;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import hudson.util.Secret;
import java.util.List;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface SSHUserPrivateKey extends StandardUsernameCredentials {
    /** A default method in ssh-credentials (it returns the first of {@link #getPrivateKeys()}). */
    @Deprecated
    default String getPrivateKey() {
        throw new UnsupportedOperationException("stub");
    }

    Secret getPassphrase();

    List<String> getPrivateKeys();
}
