package fr.gouv.data.catalogue.ops.report;

/**
 * An environment's deploy lock, on its first web host.
 *
 * @param host the host that keeps the lock
 * @param held whether someone holds it
 * @param stale whether its heartbeat stopped (the holder was killed or lost); the next deploy takes it over
 * @param description who holds it, from where, pid, since when and what it runs (empty when free)
 * @param heartbeatAgeSeconds seconds since the holder's last heartbeat (0 when free)
 */
public record LockStatus(String host, boolean held, boolean stale, String description, long heartbeatAgeSeconds) {
}
