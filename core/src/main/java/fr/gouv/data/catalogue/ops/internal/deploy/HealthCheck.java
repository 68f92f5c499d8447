package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.List;

/**
 * An HTTP check of one service on the host, polled until it answers as expected or the time is
 * up; on failure the last answer (status and the start of the body) is printed. {@code status} is
 * {@code <N} (any answer below N) or a list of accepted codes ({@code 200,204}).
 */
public record HealthCheck(String path, String status, Duration timeout, Duration interval) {
    public static final String DEFAULT_API_PATH = "/health";
    public static final String DEFAULT_CLIENT_PATH = "/";
    public static final String DEFAULT_STATUS = "<500";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

    /** Why a status setting cannot be used, or null when it can. */
    public static String statusProblem(String status) {
        if (status.matches("<[1-5][0-9]{2}") || status.matches("[1-5][0-9]{2}(,[1-5][0-9]{2})*")) {
            return null;
        }
        return "must be <N (any status below N, e.g. <500) or a list of statuses (200 or 200,204), found '" + status + "'";
    }

    static final String SCRIPT = "url=\"$1\"; end=$(( $(date +%s) + $2 )); mode=\"$3\"; want=\"$4\"; pause=\"$5\";"
            + " k=\"\"; [ \"$6\" = insecure ] && k=-k; body=$(mktemp); trap 'rm -f \"$body\"' EXIT;"
            + " while :; do code=$(curl -s $k -o \"$body\" -w '%{http_code}' --max-time 5 \"$url\"); code=${code:-000};"
            + " if [ \"$code\" != 000 ]; then if [ \"$mode\" = below ]; then [ \"$code\" -lt \"$want\" ] && { echo \"$code\"; exit 0; };"
            + " else case \",$want,\" in *\",$code,\"*) echo \"$code\"; exit 0;; esac; fi; fi;"
            + " [ \"$(date +%s)\" -lt \"$end\" ] || break; sleep \"$pause\"; done;"
            + " if [ \"$code\" = 000 ]; then echo \"no answer from $url\"; else echo \"$url answered $code: $(head -c 300 \"$body\" | tr '\\n' ' ')\"; fi;"
            + " exit 1";

    /** The command that polls a whole URL; {@code insecure}: through nginx's TLS, whose certificate names the domain, not 127.0.0.1. */
    public Command command(String url, boolean insecure) {
        boolean below = status.startsWith("<");
        String want = below ? status.substring(1) : status;
        String pause = String.format(java.util.Locale.ROOT, "%.1f", interval.toMillis() / 1000.0);
        return new Command(List.of("sh", "-c", SCRIPT, "sh", url, String.valueOf(timeout.toSeconds()), below ? "below" : "exact",
                want, pause, insecure ? "insecure" : "verify"), null, null, timeout.plusSeconds(30));
    }

    public Command command(int port) {
        return command("http://127.0.0.1:" + port + path, false);
    }

    /** The same check, polled for {@code limit} at most instead of {@link #timeout}. */
    public HealthCheck within(Duration limit) {
        return new HealthCheck(path, status, limit, interval);
    }

    /**
     * Both services of a side in one command: the API on {@code apiPort}, then the client on
     * {@code clientPort}; on failure the failing check's answer is printed, which names its URL.
     */
    public static Command both(HealthCheck api, int apiPort, HealthCheck client, int clientPort) {
        return api.command(apiPort).then(client.command(clientPort));
    }
}
