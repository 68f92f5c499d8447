package com.cloudbees.plugins.credentials.domains;

import java.io.Serializable;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public class DomainRequirement implements Serializable {
    private static final long serialVersionUID = 1L;
}
