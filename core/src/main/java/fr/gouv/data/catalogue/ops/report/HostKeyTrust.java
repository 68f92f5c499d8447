package fr.gouv.data.catalogue.ops.report;

/**
 * What trusting one host's key found.
 *
 * @param host the inventory name
 * @param fingerprint the key's SHA256 fingerprint, as {@code ssh-keygen -l} shows it
 * @param outcome what was done with it
 */
public record HostKeyTrust(String host, String fingerprint, Outcome outcome) {
    /** Whether the key was already pinned, recorded now, or refused as changed. */
    public enum Outcome {
        /** The pinned key matches. */
        ALREADY_TRUSTED,
        /** The key was unknown and is now recorded. */
        RECORDED,
        /** A different key is pinned: nothing recorded (a reinstalled host, or a man in the middle). */
        CHANGED
    }
}
