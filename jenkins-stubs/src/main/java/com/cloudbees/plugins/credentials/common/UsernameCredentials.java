package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface UsernameCredentials extends Credentials {
    String getUsername();
}
