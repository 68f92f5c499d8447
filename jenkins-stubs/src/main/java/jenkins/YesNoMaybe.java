package jenkins;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public enum YesNoMaybe {
    YES, NO, MAYBE
}
