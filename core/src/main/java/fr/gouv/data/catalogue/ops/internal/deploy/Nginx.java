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

    /** How long a reload may take to have every accepting worker on the new configuration. */
    static final Duration RELOAD_LIMIT = Duration.ofSeconds(30);
    /** Where the next upstreams are uploaded before {@link #install()} puts them in place (nginx includes only {@link #UPSTREAMS}). */
    public static final String NEXT = "/etc/nginx/.catalogue-upstreams.conf.next";

    /**
     * Reloads gracefully (starts nginx when it does not run; $1 is the time limit) and ends only
     * once the reload has taken effect: {@code nginx -s reload} only signals the master, whose old
     * workers go on accepting connections (and sending them to the old upstreams) until the new
     * ones are up. So it waits, bounded, until every worker that is not shutting down is one that
     * was not there before: from then on, every new request goes where the new configuration says,
     * and a check through nginx checks that. (nginx's master itself waits 100 ms after starting the
     * new workers before it tells the old ones to stop: the poll is short beside that.)
     */
    static final String RELOAD = "workers() { ps -eo pid=,args= | awk '$2 == \"nginx:\" && $3 == \"worker\" &&"
            + " $4 == \"process\" && NF == 4 { print $1 }'; }; old=\" $(workers | tr '\\n' ' ') \";"
            + " nginx -s reload 2>/dev/null || { nginx; exit; }; end=$(( $(date +%s) + $1 ));"
            + " while :; do now=$(workers); fresh=1; [ -n \"$now\" ] || fresh=0;"
            + " for p in $now; do case \"$old\" in *\" $p \"*) fresh=0;; esac; done; [ $fresh = 1 ] && exit 0;"
            + " [ \"$(date +%s)\" -lt \"$end\" ] || { echo \"nginx was reloaded but workers of the old configuration still"
            + " accept connections after $1 s\" >&2; exit 1; }; sleep 0.02; done";

    /** Checks the configuration, then reloads as {@link #RELOAD} says. */
    public static Command testAndReload() {
        return Command.of("sh", "-c", "nginx -t -q || exit 1; " + RELOAD, "sh", String.valueOf(RELOAD_LIMIT.toSeconds()))
                .withTimeout(RELOAD_LIMIT.plusSeconds(30));
    }

    /**
     * The switch itself, in one command on the host so that a deploy killed or cut off meanwhile
     * cannot leave a file that nginx does not serve: {@link #NEXT} renamed over {@link #UPSTREAMS}
     * (atomic), {@code nginx -t} (refused: the previous file is put back), then the reload of
     * {@link #RELOAD}.
     */
    public static Command install() {
        return Command.of("sh", "-c", "n=\"$2\"; u=\"$3\"; [ -f \"$n\" ] || { echo \"$n is missing\" >&2; exit 1; };"
                + " rm -f \"$u.before\"; [ ! -f \"$u\" ] || cp -p \"$u\" \"$u.before\"; mv -f \"$n\" \"$u\";"
                + " if ! nginx -t -q; then if [ -f \"$u.before\" ]; then mv -f \"$u.before\" \"$u\"; else rm -f \"$u\"; fi;"
                + " exit 1; fi; rm -f \"$u.before\"; " + RELOAD, "sh", String.valueOf(RELOAD_LIMIT.toSeconds()), NEXT, UPSTREAMS)
                .withTimeout(RELOAD_LIMIT.plusSeconds(30));
    }

    /** Succeeds while a worker of a configuration before the last reload is still finishing requests. */
    static final String OLD_WORKERS_LEFT = "ps -eo args | grep -q '^nginx: worker process is shutting down'";

    /**
     * Waits until no old worker is still finishing requests after a reload (bounded): until then
     * the old side may still get the requests those workers hold.
     */
    public static Command drain(Duration limit) {
        return Command.of("sh", "-c", "end=$(( $(date +%s) + $1 )); while " + OLD_WORKERS_LEFT
                + "; do [ \"$(date +%s)\" -lt \"$end\" ] || { echo 'old nginx workers still running' >&2;"
                + " exit 1; }; sleep 0.2; done", "sh", String.valueOf(limit.toSeconds()))
                .withTimeout(limit.plusSeconds(30));
    }
}
