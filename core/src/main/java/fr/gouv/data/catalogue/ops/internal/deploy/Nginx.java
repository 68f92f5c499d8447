package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one file the switch changes: {@code /etc/nginx/catalogue-upstreams.conf}, included by the
 * app site, holding the {@code client} and {@code api} upstreams. Written atomically, checked with
 * {@code nginx -t}, applied by a graceful reload (old workers finish their requests).
 */
public final class Nginx {
    public static final String UPSTREAMS = "/etc/nginx/catalogue-upstreams.conf";
    private static final Pattern CLIENT = Pattern.compile("upstream client \\{\\s*server 127\\.0\\.0\\.1:([0-9]{1,5});");
    private static final Pattern API = Pattern.compile("upstream api \\{\\s*server 127\\.0\\.0\\.1:([0-9]{1,5});");

    private Nginx() {
    }

    public static String upstreams(Side.Ports ports) {
        return "# Managed by catalogue-ops: the side nginx sends traffic to (deploy switches it).\n"
                + "upstream client {\n    server 127.0.0.1:" + ports.client() + ";\n}\n\n"
                + "upstream api {\n    server 127.0.0.1:" + ports.api() + ";\n}\n";
    }

    /** The ports an upstreams file sends traffic to, or null when it is not one this tool wrote. */
    public static Side.Ports parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher c = CLIENT.matcher(text);
        Matcher a = API.matcher(text);
        if (!c.find() || !a.find()) {
            return null;
        }
        return new Side.Ports(Integer.parseInt(a.group(1)), Integer.parseInt(c.group(1)));
    }

    /**
     * Checks the configuration, then reloads gracefully (starts nginx when it does not run), and
     * returns once the master has taken the new configuration: every worker that ran before is
     * finishing its requests ("shutting down") or gone. {@code nginx -s reload} only signals the
     * master; on a busy host the old workers may not even have been told to stop when it returns,
     * and {@link #drain} would then find nothing to wait for.
     */
    public static Command testAndReload() {
        return Command.of("sh", "-c", "nginx -t -q || exit 1;"
                + " old=$(ps -eo pid=,args= | awk '$2 == \"nginx:\" && $3 == \"worker\" && $4 == \"process\" && NF == 4 { print $1 }');"
                + " nginx -s reload 2>/dev/null || { nginx; exit $?; }; end=$(( $(date +%s) + " + RELOAD_SECONDS + " ));"
                + " for p in $old; do while [ \"$(ps -o args= -p \"$p\" 2>/dev/null)\" = 'nginx: worker process' ]; do"
                + " [ \"$(date +%s)\" -lt \"$end\" ] || { echo 'nginx did not take the new configuration within " + RELOAD_SECONDS
                + " s' >&2; exit 1; }; sleep 0.1; done; done")
                .withTimeout(Duration.ofSeconds(60));
    }

    static final int RELOAD_SECONDS = 30;

    /**
     * Waits until no old worker is still finishing requests after a reload (bounded): until then
     * the old side may still get the requests those workers hold.
     */
    public static Command drain(Duration limit) {
        return Command.of("sh", "-c", "end=$(( $(date +%s) + $1 )); while ps -eo args | grep -q '^nginx: worker process is"
                + " shutting down'; do [ \"$(date +%s)\" -lt \"$end\" ] || { echo 'old nginx workers still running' >&2;"
                + " exit 1; }; sleep 0.2; done", "sh", String.valueOf(limit.toSeconds()))
                .withTimeout(limit.plusSeconds(30));
    }
}
