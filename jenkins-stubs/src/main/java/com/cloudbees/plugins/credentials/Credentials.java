package com.cloudbees.plugins.credentials;

import hudson.model.Describable;
import java.io.Serializable;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public interface Credentials extends Describable<Credentials>, Serializable {
}
