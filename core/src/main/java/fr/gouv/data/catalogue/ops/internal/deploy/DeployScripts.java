package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands a deploy runs on a host, as data (argv; values are arguments of a fixed script,
 * never spliced into it). Pure: tests check the exact argv.
 */
public final class DeployScripts {
    /** How the state probe treats the lock. */
    public enum LockMode {
        /** Read only (check mode, status): nothing is created. */
        READ,
        /** Take it atomically ({@code mkdir}); lock.json comes on standard input. */
        TAKE,
        /** Take over a stale lock: move it aside (one rename wins), then take it. */
        TAKE_OVER
    }

    static final Duration BUILD_TIME = Duration.ofMinutes(20);
    /** Where the original playbook's checkout is kept after a takeover, until the next successful deploy. */
    public static final String ORIGINAL_CHECKOUT = ".original-checkout";

    /**
     * Prints each side's supervisor program file: {@code program=<side> <SHA-256> <release folder>}
     * (what a rollback compares to find its target running, and doctor to name the standby).
     */
    public static final String SIDE_PROGRAMS = " for s in blue green; do f=\"/etc/supervisor/conf.d/catalogue-$s.conf\";"
            + " [ -f \"$f\" ] || continue; echo \"program=$s $(sha256sum < \"$f\" | cut -c1-64)"
            + " $(sed -n 's/^directory=//p' \"$f\" | head -n 1)\"; done;";

    /**
     * Reads what a deploy needs to know in one command: whether workdir is a directory, the
     * lock (taken when asked), {@code current}, every release's manifest, the upstreams nginx
     * uses, and which shared virtualenvs and node modules are complete. One {@code key=value} per line.
     */
    static final String PROBE = "w=\"$1\"; mode=\"$2\"; up=\"$3\"; lock=\"$w/.deploy-lock\";"
            + " if [ -e \"$w\" ] && [ ! -d \"$w\" ]; then echo \"error=workdir $w exists and is not a directory\"; exit 0; fi;"
            + " if [ \"$mode\" != read ]; then mkdir -p \"$w/releases\" || exit 1; fi;"
            + " if [ \"$mode\" = take_over ] && [ -d \"$lock\" ]; then mv -T \"$lock\" \"$w/.deploy-lock.stale.$$\" 2>/dev/null"
            + " && rm -rf \"$w/.deploy-lock.stale.$$\"; fi;"
            + " if [ \"$mode\" != read ] && mkdir \"$lock\" 2>/dev/null; then cat > \"$lock/lock.json\"; touch \"$lock/heartbeat\";"
            + " echo lock=taken; elif [ -d \"$lock\" ]; then echo lock=held;"
            + " echo \"lock_age=$(( $(date +%s) - $(stat -c %Y \"$lock/heartbeat\" 2>/dev/null || stat -c %Y \"$lock\") ))\";"
            + " echo \"lock_json=$(tr -d '\\n' < \"$lock/lock.json\" 2>/dev/null)\"; else echo lock=free; fi;"
            + " echo \"home=$HOME\"; echo \"current=$(readlink \"$w/current\" 2>/dev/null)\";"
            + " echo \"upstreams=$(tr '\\n' ' ' < \"$up\" 2>/dev/null)\";"
            // names by parameter expansion, not basename and dirname: a process less per release and folder
            + " for d in \"$w\"/releases/*/; do [ -d \"$d\" ] || continue; n=${d%/}; echo \"release=${n##*/}\";"
            + " [ -f \"$d.release.json\" ] && echo \"manifest=$(tr -d '\\n' < \"$d.release.json\")\"; done;"
            + " for f in \"$w\"/shared/venvs/*/.complete; do [ -f \"$f\" ] && { f=${f%/.complete}; echo \"venv=${f##*/}\"; }; done;"
            + " for f in \"$w\"/shared/node/*/.complete; do [ -f \"$f\" ] && { f=${f%/.complete}; echo \"node=${f##*/}\"; }; done;"
            + " if grep -q '^\\[program:server\\]' /etc/supervisor/conf.d/supervisor.conf 2>/dev/null; then echo original=programs; fi;"
            + " if [ -d \"$w/" + ORIGINAL_CHECKOUT + "\" ]; then echo original=checkout; fi;"
            + " if grep -qF catalogue-upstreams.conf /etc/nginx/sites-enabled/catalogage.conf 2>/dev/null; then echo site=ok;"
            + " else echo site=missing; fi; echo \"python=$(\"$4\" --version 2>&1)\";"
            + SIDE_PROGRAMS + " exit 0";

    private DeployScripts() {
    }

    public static Command probe(ReleaseLayout layout, LockMode mode, String python, byte[] lockJson) {
        Command c = Command.of("sh", "-c", PROBE, "sh", layout.workdir(), mode.name().toLowerCase(), Nginx.UPSTREAMS, python)
                .withTimeout(Duration.ofSeconds(60));
        return mode == LockMode.READ ? c : c.withStdin(lockJson);
    }

    /** Refreshes the heartbeat, only while the lock is still the one this run took (its token). */
    public static Command heartbeat(ReleaseLayout layout, String token) {
        return Command.of("sh", "-c", "grep -qF \"$2\" \"$1/lock.json\" 2>/dev/null && touch \"$1/heartbeat\"", "sh",
                layout.lock(), token).withTimeout(Duration.ofSeconds(20));
    }

    /** Releases the lock, only when it is the one this run took. */
    public static Command releaseLock(ReleaseLayout layout, String token) {
        return Command.of("sh", "-c", "if grep -qF \"$2\" \"$1/lock.json\" 2>/dev/null; then rm -rf \"$1\"; fi", "sh",
                layout.lock(), token).withTimeout(Duration.ofSeconds(20));
    }

    /** Releases whatever lock is there (lock release by hand). */
    public static Command breakLock(ReleaseLayout layout) {
        return Command.of("rm", "-rf", layout.lock()).withTimeout(Duration.ofSeconds(20));
    }

    /**
     * Unpacks the archives on standard input (one after the other: the commit's files, then this
     * host's own, such as {@code .env} and the manifest) into a new release folder: beside it
     * first, renamed into place only once every file of {@code last} is there (input cut short
     * between two archives would otherwise pass for a complete one).
     */
    public static Command unpack(ReleaseLayout layout, String id, byte[] tars, List<String> last) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "set -e; d=\"$1\"; shift; if [ -e \"$d\" ]; then"
                + " echo \"release folder $d exists already\" >&2; exit 3; fi; t=\"$d.partial\"; rm -rf \"$t\"; mkdir -p \"$t\";"
                + " tar -x -i --no-same-owner -C \"$t\"; for f in \"$@\"; do [ -e \"$t/$f\" ] || { echo \"$f did not arrive:"
                + " the input was cut short\" >&2; exit 1; }; done; mv -T \"$t\" \"$d\"", "sh", layout.release(id)));
        argv.addAll(last);
        return new Command(argv, null, tars, Duration.ofMinutes(5));
    }

    /** The exit code of {@link #freePorts} when something else listens on a port. */
    public static final int PORTS_HELD = 73;

    /** Exits {@link #PORTS_HELD} printing the ports among {@code ports} that something listens on, one per line; 0 when all are free. */
    public static Command freePorts(int... ports) {
        Command l = listening(ports);
        return new Command(List.of("sh", "-c", "held=$(" + fr.gouv.data.catalogue.ops.internal.remote.ShellQuote.join(l.argv())
                + "); [ -z \"$held\" ] || { echo \"$held\"; exit " + PORTS_HELD + "; }"), null, null, l.timeout());
    }

    /** Writes release manifests in place (each a new file renamed over the old); {@code files} alternates path and JSON. */
    public static Command writeManifests(List<String> files) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "set -e; while [ $# -gt 1 ]; do t=\"$1.new.$$\";"
                + " printf '%s\\n' \"$2\" > \"$t\"; chmod 644 \"$t\"; mv -f \"$t\" \"$1\"; shift 2; done", "sh"));
        argv.addAll(files);
        return new Command(argv, null, null, Duration.ofSeconds(60));
    }

    /** What {@link #appendHistoryLine} prints when the record could not be appended. */
    public static final String AUDIT_NOT_WRITTEN = "audit=not-written";

    /**
     * Appends one record to the audit log, given as an argument (a record holds no secret: its
     * message is masked); never fails, but prints {@link #AUDIT_NOT_WRITTEN} when it could not.
     */
    public static Command appendHistoryLine(ReleaseLayout layout, String line) {
        return Command.of("sh", "-c", "{ printf '%s\\n' \"$2\" >> \"$1\"; } 2>/dev/null || echo " + AUDIT_NOT_WRITTEN + "; exit 0", "sh",
                layout.history(), line).withTimeout(Duration.ofSeconds(60));
    }

    /**
     * The release's virtualenv: the shared one of its key when complete, else built in place
     * (a half-built one is removed first) and marked complete last; then linked as {@code venv}.
     */
    public static Command venv(ReleaseLayout layout, String key, String id, String python, boolean systemSitePackages,
                               List<String> pipOptions) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "set -e; v=\"$1\"; r=\"$2\"; py=\"$3\"; sys=\"$4\"; shift 4;"
                + " if [ -f \"$v/" + ReleaseLayout.COMPLETE + "\" ]; then echo reused; else rm -rf \"$v\"; mkdir -p \"$(dirname \"$v\")\";"
                + " if [ \"$sys\" = 1 ]; then \"$py\" -m venv --system-site-packages \"$v\"; else \"$py\" -m venv \"$v\"; fi;"
                + " \"$v/bin/pip\" install --disable-pip-version-check --no-input \"$@\" -r \"$r/requirements.txt\";"
                + " touch \"$v/" + ReleaseLayout.COMPLETE + "\"; echo built; fi; ln -s \"$v\" \"$r/venv\"",
                "sh", layout.venv(key), layout.release(id), python, systemSitePackages ? "1" : "0"));
        argv.addAll(pipOptions);
        return new Command(argv, null, null, BUILD_TIME);
    }

    /** The release's node modules: shared by the key of {@code package-lock.json}, built by {@code npm ci} once. */
    public static Command nodeModules(ReleaseLayout layout, String key, String id) {
        return new Command(List.of("sh", "-c", "set -e; n=\"$1\"; c=\"$2/client\"; if [ -f \"$n/" + ReleaseLayout.COMPLETE
                + "\" ]; then echo reused; else rm -rf \"$n\"; mkdir -p \"$n\"; cp \"$c/package.json\" \"$c/package-lock.json\" \"$n/\";"
                + " (cd \"$n\" && npm ci --no-audit --no-fund); mkdir -p \"$n/node_modules\"; touch \"$n/" + ReleaseLayout.COMPLETE
                + "\"; echo built; fi; ln -s \"$n/node_modules\" \"$c/node_modules\"",
                "sh", layout.nodeModules(key), layout.release(id)), null, null, BUILD_TIME);
    }

    /** The niceness of the app's builds ({@link #yielding}). */
    static final int BUILD_NICE = 10;

    /**
     * The command at a lower CPU priority, so that building a release (pip, npm, make) never
     * starves the live release serving on the same host: {@code nice -n 10}, and the same
     * niceness for the command's session, the kernel's autogroup where it has one (there nice
     * alone only weighs against the processes of the same session, not against the programs
     * supervisor runs).
     */
    public static Command yielding(Command c) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "{ echo " + BUILD_NICE + " > /proc/self/autogroup; } 2>/dev/null;"
                + " exec nice -n " + BUILD_NICE + " \"$@\"", "sh"));
        argv.addAll(c.argv());
        return new Command(argv, c.becomeUser(), c.stdin(), c.timeout());
    }

    /** A {@code make} target in the release folder ({@code build}, {@code migrate}). */
    public static Command make(ReleaseLayout layout, String id, String target) {
        return new Command(List.of("make", "-C", layout.release(id), target), null, null, BUILD_TIME);
    }

    /** The ports among {@code ports} something listens on (TCP, IPv4 or IPv6), one per line. */
    public static Command listening(int... ports) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "for p in \"$@\"; do h=$(printf ':%04X' \"$p\");"
                + " awk -v h=\"$h\" '$4 == \"0A\" && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }'"
                + " /proc/net/tcp /proc/net/tcp6 2>/dev/null && echo \"$p\"; done; exit 0", "sh"));
        for (int p : ports) {
            argv.add(String.valueOf(p));
        }
        return new Command(argv, null, null, Duration.ofSeconds(30));
    }

    /** Points {@code current} at a release: a new symlink renamed over the old one (atomic, never missing). */
    public static Command switchCurrent(ReleaseLayout layout, String id) {
        return Command.of("sh", "-c", "set -e; rm -f \"$1/.current.new\"; ln -s \"releases/$2\" \"$1/.current.new\";"
                + " mv -T \"$1/.current.new\" \"$1/current\"", "sh", layout.workdir(), id);
    }

    /**
     * Retires the original playbook's programs ({@code server} and {@code client} in
     * {@code supervisor.conf}) once traffic has left them: stopped, their file removed, removed
     * from supervisor; nothing else is touched.
     */
    public static Command retireOriginalPrograms() {
        return Command.of("sh", "-c", "supervisorctl stop server client >/dev/null 2>&1; rm -f /etc/supervisor/conf.d/supervisor.conf;"
                + " supervisorctl reread >/dev/null 2>&1; supervisorctl remove server client >/dev/null 2>&1; exit 0")
                .withTimeout(Duration.ofMinutes(2));
    }

    /**
     * Moves the original playbook's in-place checkout aside, into {@code .original-checkout}
     * (everything but the release layout's own names); its world-readable {@code .env} becomes 0600.
     */
    public static Command moveOriginalCheckoutAside(ReleaseLayout layout) {
        return Command.of("sh", "-c", "set -e; w=\"$1\"; o=\"$w/" + ORIGINAL_CHECKOUT + "\"; mkdir -p \"$o\"; chmod 700 \"$o\";"
                + " for f in \"$w\"/* \"$w\"/.[!.]* \"$w\"/..?*; do [ -e \"$f\" ] || [ -L \"$f\" ] || continue;"
                + " case \"$(basename \"$f\")\" in releases|shared|current|.current.new|.deploy-lock|deploy-history.jsonl|"
                + ORIGINAL_CHECKOUT + ") continue;; esac; mv \"$f\" \"$o/\"; done; [ ! -f \"$o/.env\" ] || chmod 600 \"$o/.env\"",
                "sh", layout.workdir());
    }

    /** Removes the original checkout kept aside by a takeover. */
    public static Command removeOriginalCheckout(ReleaseLayout layout) {
        return Command.of("rm", "-rf", "--", layout.workdir() + "/" + ORIGINAL_CHECKOUT).withTimeout(Duration.ofMinutes(5));
    }

    /** Appends one record (standard input) to the audit log. */
    public static Command appendHistory(ReleaseLayout layout, byte[] line) {
        return Command.of("sh", "-c", "cat >> \"$1\"", "sh", layout.history()).withStdin(line);
    }

    public static Command readHistory(ReleaseLayout layout) {
        return Command.of("sh", "-c", "cat \"$1\" 2>/dev/null; exit 0", "sh", layout.history());
    }

    /**
     * Lists the shared folders ({@code venv=KEY}, {@code node=KEY}, complete or not) and which
     * shared folder each release links to ({@code uses=ID venv KEY}, {@code uses=ID node KEY}).
     */
    public static Command sharedUse(ReleaseLayout layout) {
        // names by parameter expansion (a link's target has no trailing slash): only readlink is a process
        return Command.of("sh", "-c", "w=\"$1\"; for d in \"$w\"/shared/venvs/*/; do [ -d \"$d\" ] && { d=${d%/}; echo \"venv=${d##*/}\"; }; done;"
                + " for d in \"$w\"/shared/node/*/; do [ -d \"$d\" ] && { d=${d%/}; echo \"node=${d##*/}\"; }; done;"
                + " for d in \"$w\"/releases/*/; do [ -d \"$d\" ] || continue; n=${d%/}; n=${n##*/};"
                + " l=$(readlink \"$d/venv\") && echo \"uses=$n venv ${l##*/}\";"
                + " l=$(readlink \"$d/client/node_modules\") && { l=${l%/*}; echo \"uses=$n node ${l##*/}\"; }; done; exit 0",
                "sh", layout.workdir()).withTimeout(Duration.ofSeconds(60));
    }

    /** Removes shared virtualenvs and node modules by key. */
    public static Command removeShared(ReleaseLayout layout, List<String> venvKeys, List<String> nodeKeys) {
        List<String> argv = new ArrayList<>(List.of("rm", "-rf", "--"));
        venvKeys.forEach(k -> argv.add(layout.venv(k)));
        nodeKeys.forEach(k -> argv.add(layout.nodeModules(k)));
        return new Command(argv, null, null, Duration.ofMinutes(5));
    }

    /** Removes releases by id (and what a dead run left half-unpacked). */
    public static Command remove(ReleaseLayout layout, List<String> ids) {
        List<String> argv = new ArrayList<>(List.of("rm", "-rf", "--"));
        for (String id : ids) {
            argv.add(layout.release(id));
        }
        return new Command(argv, null, null, Duration.ofMinutes(5));
    }
}
