package hudson.util;

import java.io.Serializable;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    public String getPlainText() {
        throw new UnsupportedOperationException("stub");
    }

    public static Secret fromString(String data) {
        throw new UnsupportedOperationException("stub");
    }

    public static String toString(Secret s) {
        throw new UnsupportedOperationException("stub");
    }
}
