package org.jenkinsci.plugins.workflow.steps;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public abstract class BodyInvoker {
}
