package hudson.model;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
}
