package hudson.model;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public abstract class Cause {
    public abstract String getShortDescription();

    /** Stub of the Jenkins API for compiling the plugin; never packaged. */
    public static class UserIdCause extends Cause {
        /** Only passes its argument on (tests subclass it). */
        public UserIdCause(String userId) {
        }

        public String getUserId() {
            throw new UnsupportedOperationException("stub");
        }

        public String getUserName() {
            throw new UnsupportedOperationException("stub");
        }

        @Override
        public String getShortDescription() {
            throw new UnsupportedOperationException("stub");
        }
    }
}
