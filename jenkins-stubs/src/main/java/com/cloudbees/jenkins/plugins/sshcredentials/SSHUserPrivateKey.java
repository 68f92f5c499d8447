package com.cloudbees.jenkins.plugins.sshcredentials;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import hudson.util.Secret;
import java.util.List;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface SSHUserPrivateKey extends StandardUsernameCredentials {
    @Deprecated
    String getPrivateKey();

    Secret getPassphrase();

    List<String> getPrivateKeys();
}
