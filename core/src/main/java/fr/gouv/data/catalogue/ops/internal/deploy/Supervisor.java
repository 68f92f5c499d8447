package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.List;

/**
 * The app's programs under supervisor, one group per side ({@code catalogue-blue},
 * {@code catalogue-green}) in its own file, so that {@code supervisorctl update catalogue-<side>}
 * starts or restarts that side only: the live side is never touched, and {@code reload} (which
 * restarts everything) is never used. The side's ports are given in the programs' environment,
 * which the app prefers over {@code .env} and the client over its build: any release runs on
 * either side, and its client talks to its own API.
 */
public final class Supervisor {
    /** Longer than the app's graceful shutdown (uvicorn finishes the requests in flight). */
    static final int STOP_WAIT_SECONDS = 30;

    private Supervisor() {
    }

    public static String group(Side side) {
        return "catalogue-" + side.id();
    }

    public static String configPath(Side side) {
        return "/etc/supervisor/conf.d/" + group(side) + ".conf";
    }

    public static String logPath(String program, Side side) {
        return "/var/log/supervisor/catalogue-" + program + "-" + side.id() + ".log";
    }

    /** The side's file: {@code server-<side>} and {@code client-<side>} in group {@code catalogue-<side>}. */
    public static String render(Side side, Side.Ports ports, String releaseDir, String appUser) {
        String s = side.id();
        return "; Managed by catalogue-ops (deploy): the " + s + " side of the catalogue app.\n"
                + "[group:" + group(side) + "]\n"
                + "programs=server-" + s + ",client-" + s + "\n\n"
                + "[program:server-" + s + "]\n"
                + "directory=" + releaseDir + "\n"
                + "command=" + releaseDir + "/venv/bin/python -m server.main\n"
                + "environment=APP_PORT=\"" + ports.api() + "\"\n"
                + common(appUser, logPath("server", side))
                + "\n[program:client-" + s + "]\n"
                + "directory=" + releaseDir + "/client\n"
                + "command=node ./build\n"
                + "environment=HOST=\"127.0.0.1\",PORT=\"" + ports.client() + "\",VITE_API_SSR_URL=\"http://localhost:"
                + ports.api() + "\"\n"
                + common(appUser, logPath("client", side));
    }

    private static String common(String appUser, String log) {
        return "user=" + appUser + "\n"
                + "autostart=true\n"
                + "autorestart=true\n"
                + "startsecs=0\n"
                + "stopsignal=TERM\n"
                + "stopwaitsecs=" + STOP_WAIT_SECONDS + "\n"
                + "stopasgroup=true\n"
                + "killasgroup=true\n"
                + "redirect_stderr=true\n"
                + "stdout_logfile=" + log + "\n"
                + "stdout_logfile_maxbytes=10MB\n"
                + "stdout_logfile_backups=3\n";
    }

    /**
     * Makes supervisor read the side's file and (re)start that group only; the group is started
     * even when its file did not change (a stopped side brought back by a rollback).
     */
    public static Command apply(Side side) {
        return Command.of("sh", "-c", "set -e; supervisorctl reread >/dev/null; supervisorctl update \"$1\";"
                + " supervisorctl start \"$1:*\" >/dev/null 2>&1 || true; supervisorctl status \"$1:*\" || true",
                "sh", group(side)).withTimeout(Duration.ofMinutes(2));
    }

    /**
     * Starts a release on a side in one command: its program file installed (content on standard
     * input, checked, renamed into place: supervisor reads it only at the {@code reread}), the
     * side's programs stopped, its ports checked free (exit 3 and the held ports printed: something
     * else listens there), then {@link #apply}.
     */
    public static Command start(Side side, Side.Ports ports, String releaseDir, String appUser) {
        byte[] file = render(side, ports, releaseDir, appUser).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return underSideLock(side, Command.all(List.of(
                fr.gouv.data.catalogue.ops.internal.remote.SshRemote.installCommand(file, configPath(side), "0644", "root:root"),
                stop(side), DeployScripts.freePorts(ports.api(), ports.client()), apply(side))));
    }

    /** Where the side's lock file lives: root's folder in {@code /run}, emptied at a reboot, as the programs are stopped. */
    static final String SIDE_LOCKS = "/run/catalogue-ops";

    /** How long a start waits for the side's lock: a retirement's drain and graceful stop at most, and a margin. */
    static final Duration SIDE_LOCK_WAIT = Duration.ofSeconds(Deployment.DRAIN_LIMIT.toSeconds() + STOP_WAIT_SECONDS + 30L);

    /** A start or a standby check exits with this when a retirement of the side still holds its lock after {@link #SIDE_LOCK_WAIT}. */
    public static final int SIDE_BUSY = 74;

    public static String sideLock(Side side) {
        return SIDE_LOCKS + "/" + group(side) + ".lock";
    }

    /**
     * The command run while holding the side's lock ({@code flock}, waiting {@link #SIDE_LOCK_WAIT}
     * at most, else exit {@link #SIDE_BUSY}): a start of a side, or a check that its programs
     * answer, never overlaps a {@link #retire} of that side still running on the host.
     */
    public static Command underSideLock(Side side, Command inner) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", "mkdir -p -m 0755 " + SIDE_LOCKS
                + " && w=\"$1\" f=\"$2\" && shift 2 && exec flock -w \"$w\" -E " + SIDE_BUSY + " \"$f\" \"$@\"", "sh",
                String.valueOf(SIDE_LOCK_WAIT.toSeconds()), sideLock(side)));
        argv.addAll(inner.argv());
        return new Command(List.copyOf(argv), inner.becomeUser(), inner.stdin(), inner.timeout().plus(SIDE_LOCK_WAIT));
    }

    /**
     * Retires a side the traffic has left, without waiting for it: takes the side's lock, then
     * leaves on the host, in a session of its own that holds the lock, a job that waits until no
     * old nginx worker is still finishing requests (at most {@code drainLimit}) and stops the
     * side's programs gracefully. The command returns once the lock is taken; a deploy killed or
     * cut off after it changes nothing to the job; a start or a standby check of that side waits
     * for the job to end ({@link #underSideLock}).
     */
    public static Command retire(Side side, Duration drainLimit) {
        String job = "end=$(( $(date +%s) + $1 )); while " + Nginx.OLD_WORKERS_LEFT
                + " && [ \"$(date +%s)\" -lt \"$end\" ]; do sleep 0.2; done; supervisorctl stop \"$2:*\"";
        return Command.of("sh", "-c", "mkdir -p -m 0755 " + SIDE_LOCKS + " && exec 9>>\"$1\" && flock -w \"$2\" 9 || exit "
                + SIDE_BUSY + "; setsid -f sh -c \"$3\" retire \"$4\" \"$5\" </dev/null >/dev/null 2>&1", "sh", sideLock(side),
                String.valueOf(SIDE_LOCK_WAIT.toSeconds()), job, String.valueOf(drainLimit.toSeconds()), group(side))
                .withTimeout(SIDE_LOCK_WAIT.plusSeconds(30));
    }

    /** The SHA-256 of the side's file for a release, as {@code sha256sum} prints it for the file on the host. */
    public static String fileDigest(Side side, Side.Ports ports, String releaseDir, String appUser) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                    render(side, ports, releaseDir, appUser).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops a side's programs gracefully (SIGTERM, then {@code stopwaitsecs}); nothing to stop is fine. */
    public static Command stop(Side side) {
        return Command.of("sh", "-c", "supervisorctl stop \"$1:*\" >/dev/null 2>&1; exit 0", "sh", group(side))
                .withTimeout(Duration.ofSeconds(STOP_WAIT_SECONDS + 30L));
    }

    /** The last lines of a side's program log, for a failure's message. */
    public static Command tail(String program, Side side, int lines) {
        return Command.of("tail", "-n", String.valueOf(lines), logPath(program, side));
    }
}
