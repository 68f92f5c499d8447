package com.cloudbees.plugins.credentials.common;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface StandardCredentials extends IdCredentials {
    String getDescription();
}
