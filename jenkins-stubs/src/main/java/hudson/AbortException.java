package hudson;

import java.io.IOException;

/**
 * Stub of the Jenkins API for compiling the plugin; never packaged. Jenkins prints only the
 * message of this exception (no stack trace). The constructor only passes the message on.
 */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException() {
    }

    public AbortException(String message) {
        super(message);
    }
}
