package fr.gouv.data.catalogue.ops.report;

import fr.gouv.data.catalogue.ops.RemoteException;
import java.time.Duration;

/**
 * One host's answer to a ping: pong with the round-trip time, or why not.
 *
 * @param host the inventory name
 * @param ok whether the host answered
 * @param roundTrip the time of the command's round trip (zero when no connection was made)
 * @param reason why it failed (null when ok)
 * @param error the failure's message (null when ok)
 */
public record HostPing(String host, boolean ok, Duration roundTrip, RemoteException.Reason reason, String error) {
    /**
     * The console line: {@code host: pong (12 ms)} or {@code host: FAILED (reason) detail}.
     *
     * @param envName the environment's name, written into the hints the message gives
     * @return one line
     */
    public String line(String envName) {
        if (ok) {
            return host + ": pong (" + roundTrip.toMillis() + " ms)";
        }
        return host + ": FAILED (" + reason.name().toLowerCase().replace('_', ' ') + ") " + detail(envName);
    }

    /** The error without the host name the line already starts with, and with the real ENV in hints. */
    String detail(String envName) {
        String detail = error.replace("hosts trust ENV", "hosts trust " + envName);
        String prefix = host + " (";
        if (detail.startsWith(prefix) && detail.indexOf("): ") > 0) {
            return "at " + detail.substring(prefix.length()).replaceFirst("\\): ", ": ");
        }
        return detail.startsWith(host + ": ") ? detail.substring(host.length() + 2) : detail;
    }
}
