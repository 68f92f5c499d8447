package fr.gouv.data.catalogue.ops.internal.certs;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands the certificate operations send, as data. All run as root. {@code caBundle} is
 * {@code acme_ca_bundle} (the ACME server's own CA, for a server other than Let's Encrypt's) and
 * {@code acmeServer} is {@code acme_server}; null or blank leaves certbot's defaults.
 */
final class Certbot {
    /** Where the reissues are recorded, one JSON line each: the host is the source of truth. */
    static final String REISSUE_LOG = "/var/lib/catalogue-ops/certificate-reissues.jsonl";
    static final String RECORDS_MARK = "@@ reissues";
    static final String CERTBOT_MARK = "@@ certbot";
    private static final Duration ACME_TIMEOUT = Duration.ofMinutes(5);

    private Certbot() {
    }

    /**
     * One round trip: the host's clock (epoch seconds), the reissue records, then
     * {@code certbot certificates}; the exit code is certbot's.
     */
    static Command state() {
        return Command.of("sh", "-c", "date +%s; echo '" + RECORDS_MARK + "'; cat \"$1\" 2>/dev/null; echo '" + CERTBOT_MARK
                + "'; certbot certificates 2>&1", "sh", REISSUE_LOG).withTimeout(Duration.ofMinutes(2));
    }

    /**
     * {@code certbot renew} now: non-interactive and without the random wait certbot adds when it
     * has no terminal (up to 8 minutes; meant for cron).
     */
    static Command renew(String caBundle) {
        return certbot(caBundle, "renew", "-n", "--no-random-sleep-on-renew");
    }

    /** Revokes a certificate (kept on disk: {@link #delete} removes it next). */
    static Command revoke(String name, String acmeServer, String caBundle) {
        List<String> args = new ArrayList<>(List.of("revoke", "-n", "--cert-name", name, "--reason", "superseded",
                "--no-delete-after-revoke"));
        if (acmeServer != null && !acmeServer.isBlank()) {
            args.addAll(List.of("--server", acmeServer));
        }
        return certbot(caBundle, args.toArray(String[]::new));
    }

    /** Removes a certificate's files and renewal configuration. */
    static Command delete(String name) {
        return Command.of("certbot", "delete", "-n", "--cert-name", name).withTimeout(Duration.ofMinutes(2));
    }

    /** Appends one record to the reissue log (root's, 0644: it holds no secret). */
    static Command record(String jsonLine) {
        return Command.of("sh", "-c", "umask 022 && mkdir -p \"$(dirname \"$1\")\" && printf '%s\\n' \"$2\" >> \"$1\"", "sh",
                REISSUE_LOG, jsonLine);
    }

    private static Command certbot(String caBundle, String... args) {
        List<String> argv = new ArrayList<>();
        if (caBundle != null && !caBundle.isBlank()) {
            argv.addAll(List.of("env", "REQUESTS_CA_BUNDLE=" + caBundle));
        }
        argv.add("certbot");
        argv.addAll(List.of(args));
        return new Command(argv, null, null, ACME_TIMEOUT);
    }
}
