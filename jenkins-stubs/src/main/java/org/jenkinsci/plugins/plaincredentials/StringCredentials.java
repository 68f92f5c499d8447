package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
