package fr.gouv.data.catalogue.ops.internal.remote;

import fr.gouv.data.catalogue.ops.RemoteException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordUtils;

/**
 * A host over SSH (sshj): one connection for every command and transfer of a run, with
 * keep-alive, connect and command time limits, host keys verified, sudo with or without a
 * password (sent on standard input after sudo's own prompt, never on a command line).
 */
public final class SshRemote implements Remote {
    /** How much of each output stream an {@link ExecResult} keeps (the end). */
    public static final int KEPT_OUTPUT = 64 * 1024;

    private final ConnectionSettings settings;
    private final SSHClient client;
    private SFTPClient sftp;

    private SshRemote(ConnectionSettings settings, SSHClient client) {
        this.settings = settings;
        this.client = client;
    }

    /** Connects and authenticates, or fails with one line saying why (DNS, refused, timeout, auth, host key). */
    /** Keep-alive requests left unanswered before the connection counts as lost. */
    static final int MAX_KEEP_ALIVE_MISSES = 3;

    public static SshRemote connect(ConnectionSettings s) throws RemoteException {
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        HostKeys hostKeys = new HostKeys(s.knownHosts());
        client.addHostKeyVerifier(hostKeys);
        client.setConnectTimeout((int) s.connectTimeout().toMillis());
        // sshj starts the keep-alive thread on connect, only if an interval is set by then
        KeepAlive keepAlive = client.getConnection().getKeepAlive();
        keepAlive.setKeepAliveInterval((int) Math.max(1, s.keepAlive().toSeconds()));
        if (keepAlive instanceof KeepAliveRunner runner) {
            runner.setMaxAliveCount(MAX_KEEP_ALIVE_MISSES);
        }
        try {
            client.connect(s.address(), s.port());
        } catch (IOException e) {
            closeQuietly(client);
            throw connectFailure(s, hostKeys, e);
        }
        SshAgent agent = null;
        try {
            List<AuthMethod> methods = new ArrayList<>();
            for (String text : s.inlineKeys()) {
                methods.add(new AuthPublickey(s.keyPassphrase() == null ? client.loadKeys(text, null, null)
                        : client.loadKeys(text, null, PasswordUtils.createOneOff(s.keyPassphrase().clone()))));
            }
            for (Path key : s.keyFiles()) {
                methods.add(new AuthPublickey(s.keyPassphrase() == null ? client.loadKeys(key.toString())
                        : client.loadKeys(key.toString(), PasswordUtils.createOneOff(s.keyPassphrase().clone()))));
            }
            if (s.agentSocket() != null) {
                agent = SshAgent.open(s.agentSocket());
                for (SshAgent.Identity id : agent.identities()) {
                    methods.add(new AgentAuth(agent, id));
                }
            }
            if (methods.isEmpty()) {
                throw new RemoteException(RemoteException.Reason.AUTH, s.host() + ": no SSH key to log in with;"
                        + " set ansible_ssh_private_key_file, create ~/.ssh/id_ed25519 or load a key in your SSH agent");
            }
            client.auth(s.user(), methods);
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw new RemoteException(RemoteException.Reason.AUTH, s.host() + ": authentication as " + s.user()
                    + " refused (tried: " + triedKeys(s) + "); check ansible_user and that the key is in"
                    + " the user's authorized_keys");
        } catch (IOException e) {
            closeQuietly(client);
            throw new RemoteException(RemoteException.Reason.AUTH, s.host() + ": cannot use the SSH key: " + oneLine(e)
                    + " (a passphrase-protected key needs its passphrase)");
        } finally {
            if (agent != null) {
                try {
                    agent.close();
                } catch (IOException ignored) {
                    // authentication is over either way
                }
            }
        }
        return new SshRemote(s, client);
    }

    private static String triedKeys(ConnectionSettings s) {
        List<String> tried = new ArrayList<>();
        if (!s.inlineKeys().isEmpty()) {
            tried.add(s.inlineKeys().size() + " key(s) in memory");
        }
        s.keyFiles().forEach(k -> tried.add(k.toString()));
        if (s.agentSocket() != null) {
            tried.add("the SSH agent's keys");
        }
        return String.join(", ", tried);
    }

    static RemoteException connectFailure(ConnectionSettings s, HostKeys hostKeys, IOException e) {
        String where = s.host() + " (" + s.address() + ":" + s.port() + ")";
        if (hostKeys.outcome() == HostKeys.Outcome.UNKNOWN) {
            return new RemoteException(RemoteException.Reason.HOST_KEY_UNKNOWN, where + ": unknown host key "
                    + HostKeys.fingerprint(hostKeys.seen()) + "; if it is the right one, trust it with:"
                    + " catalogue-ops hosts trust ENV");
        }
        if (hostKeys.outcome() == HostKeys.Outcome.CHANGED) {
            return new RemoteException(RemoteException.Reason.HOST_KEY_CHANGED, where + ": HOST KEY CHANGED to "
                    + HostKeys.fingerprint(hostKeys.seen()) + " (possible man-in-the-middle); refusing. If the host"
                    + " was reinstalled, remove its line from " + hostKeys.changedIn() + " and run: catalogue-ops hosts trust ENV");
        }
        if (e instanceof UnknownHostException) {
            return new RemoteException(RemoteException.Reason.DNS, where + ": name not found (DNS); check ansible_host");
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new RemoteException(RemoteException.Reason.REFUSED, where + ": connection refused or no route;"
                    + " is sshd running and the port right?");
        }
        if (e instanceof SocketTimeoutException) {
            return new RemoteException(RemoteException.Reason.TIMEOUT, where + ": no answer within "
                    + s.connectTimeout().toSeconds() + " s (host down or filtered)");
        }
        return new RemoteException(RemoteException.Reason.IO, where + ": " + oneLine(e));
    }

    /**
     * Whether a connection made with {@code a} is one made with {@code b}: the same address, port,
     * login, keys, agent, known hosts and timeouts (what {@link #connect} uses; escalation is used
     * per command, not by the connection).
     */
    public static boolean sameConnection(ConnectionSettings a, ConnectionSettings b) {
        return a.address().equals(b.address()) && a.port() == b.port() && a.user().equals(b.user())
                && a.keyFiles().equals(b.keyFiles()) && a.inlineKeys().equals(b.inlineKeys())
                && java.util.Arrays.equals(a.keyPassphrase(), b.keyPassphrase())
                && java.util.Objects.equals(a.agentSocket(), b.agentSocket()) && a.knownHosts().equals(b.knownHosts())
                && a.connectTimeout().equals(b.connectTimeout()) && a.keepAlive().equals(b.keepAlive());
    }

    /** This connection, its commands run with {@code s}'s escalation; {@code s} must be {@link #sameConnection the same connection}. */
    public SshRemote withSettings(ConnectionSettings s) {
        if (!sameConnection(settings, s)) {
            throw new IllegalArgumentException(s + " is not the connection " + settings);
        }
        return new SshRemote(s, client);
    }

    @Override
    public String host() {
        return settings.host();
    }

    public ConnectionSettings settings() {
        return settings;
    }

    @Override
    public ExecResult exec(Command command, OutputListener listener) throws RemoteException {
        if (Thread.currentThread().isInterrupted()) {
            throw new RemoteException(RemoteException.Reason.ABORTED, settings.host() + ": the run was aborted before `" + command
                    + "`; it was not started");
        }
        if (!client.isConnected()) {
            throw gone("`" + command + "` was not started");
        }
        boolean withPassword = command.becomeUser() != null && settings.becomePassword() != null;
        String line = command.commandLine(withPassword);
        long start = System.nanoTime();
        Session session = null;
        boolean abandoned = false;
        try {
            session = client.startSession();
            Session.Command cmd = session.exec(line);
            OutputStream stdin = cmd.getOutputStream();
            CountDownLatch started = new CountDownLatch(withPassword ? 1 : 0);
            AtomicReference<String> sudoProblem = new AtomicReference<>();
            Output out = new Output(cmd.getInputStream(), false, listener, null);
            Output err = new Output(cmd.getErrorStream(), true, listener, withPassword
                    ? new SudoDialog(stdin, settings.becomePassword(), settings.effectiveUser(), started, sudoProblem) : null);
            out.start();
            err.start();
            long deadline = start + command.timeout().toNanos();
            if (withPassword && !started.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                // sudo neither let the command through nor asked: fall through to the time limit below
            }
            if (sudoProblem.get() != null) {
                cmd.close();
                throw new RemoteException(RemoteException.Reason.SUDO, settings.host() + ": " + sudoProblem.get());
            }
            try {
                if (command.stdin().length > 0) {
                    stdin.write(command.stdin());
                }
                stdin.close();
            } catch (IOException closedByTheCommand) {
                // the command ended (and closed its channel) before reading its input: its exit status tells
            }
            try {
                cmd.join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (net.schmizz.sshj.connection.ConnectionException stopped) {
                abandoned = true;
                if (Thread.currentThread().isInterrupted() || stopped.getCause() instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw aborted(command);
                }
                // before the time limit, only the transport can have ended the wait: the keep-alive
                // found the host silent (the client may not say disconnected yet when we get here)
                if (System.nanoTime() < deadline) {
                    throw lost(command);
                }
                throw new RemoteException(RemoteException.Reason.COMMAND_TIMEOUT, settings.host() + ": `" + command
                        + "` did not finish within " + command.timeout().toSeconds() + " s (host stuck or unreachable)");
            }
            out.join(5000);
            err.join(5000);
            if (sudoProblem.get() != null) {
                throw new RemoteException(RemoteException.Reason.SUDO, settings.host() + ": " + sudoProblem.get());
            }
            Integer status = cmd.getExitStatus();
            int code = status != null ? status : (cmd.getExitSignal() != null ? 128 + 15 : -1);
            String stderr = err.kept();
            if (command.becomeUser() != null && !withPassword && code != 0 && stderr.contains("a password is required")) {
                throw new RemoteException(RemoteException.Reason.SUDO, settings.host() + ": sudo to "
                        + command.becomeUser() + " asks for a password; set ansible_become_password (in the secrets)");
            }
            return new ExecResult(settings.host(), code, out.kept(), stderr, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            if (!client.isConnected()) {
                throw lost(command);
            }
            throw new RemoteException(RemoteException.Reason.DISCONNECTED, settings.host() + ": connection lost during `"
                    + command + "`: " + oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            throw aborted(command);
        } catch (IllegalStateException notConnected) {
            // sshj's answer when the transport died between the check above and the session
            throw gone("`" + command + "` was not started");
        } finally {
            close(session, abandoned);
        }
    }

    /** The connection was lost before this (the keep-alive found the host silent, or the link broke). */
    private RemoteException gone(String what) {
        long silent = Math.max(1, settings.keepAlive().toSeconds()) * (MAX_KEEP_ALIVE_MISSES + 1);
        return new RemoteException(RemoteException.Reason.DISCONNECTED, settings.host() + ": connection lost (no answer for about "
                + silent + " s): " + what + "; check the host, then run again");
    }

    /** This run was stopped (an abort interrupted it) while the command ran; the command's session is closed. */
    private RemoteException aborted(Command command) {
        return new RemoteException(RemoteException.Reason.ABORTED, settings.host() + ": the run was aborted during `" + command
                + "`; its session is closed (the command may have finished on the host or not)");
    }

    /** The host stopped answering (keep-alive unanswered): what happened, and that the command's outcome is unknown. */
    private RemoteException lost(Command command) {
        long silent = Math.max(1, settings.keepAlive().toSeconds()) * (MAX_KEEP_ALIVE_MISSES + 1);
        return new RemoteException(RemoteException.Reason.DISCONNECTED, settings.host() + ": connection lost during `"
                + command + "` (no answer for about " + silent + " s); it may or may not have finished there: check the"
                + " host, then run again");
    }

    /**
     * Closes a session; one whose command was abandoned (time limit, interrupt) may sit on a dead
     * link, where a graceful close waits for an answer that never comes: close it in the background.
     */
    private static void close(Session session, boolean abandoned) {
        if (session == null) {
            return;
        }
        Runnable closing = () -> {
            try {
                session.close();
            } catch (IOException ignored) {
                // the connection is gone; nothing to release on our side
            }
        };
        if (abandoned) {
            Thread t = new Thread(closing, "catalogue-ops-abandoned-session");
            t.setDaemon(true);
            t.start();
        } else {
            closing.run();
        }
    }

    /** Reads a stream line by line, hands lines to the listener, keeps the end of the text. */
    private final class Output extends Thread {
        private final InputStream in;
        private final boolean stderr;
        private final OutputListener listener;
        private final SudoDialog dialog;
        private final StringBuilder kept = new StringBuilder();

        Output(InputStream in, boolean stderr, OutputListener listener, SudoDialog dialog) {
            super("catalogue-ops-" + settings.host() + (stderr ? "-stderr" : "-stdout"));
            setDaemon(true);
            this.in = in;
            this.stderr = stderr;
            this.listener = listener;
            this.dialog = dialog;
        }

        @Override
        public void run() {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            emit(line.toString(StandardCharsets.UTF_8), true);
                            line.reset();
                        } else {
                            line.write(buf[i]);
                        }
                    }
                    if (dialog != null && line.size() > 0 && dialog.handle(line.toString(StandardCharsets.UTF_8), false)) {
                        line.reset();
                    }
                }
                if (line.size() > 0) {
                    emit(line.toString(StandardCharsets.UTF_8), false);
                }
            } catch (IOException e) {
                // the channel closed: exec reports why
            }
        }

        private void emit(String text, boolean complete) throws IOException {
            if (dialog != null && dialog.handle(text, complete)) {
                return;
            }
            listener.line(settings.host(), stderr, text);
            synchronized (kept) {
                kept.append(text).append(complete ? "\n" : "");
                if (kept.length() > 2 * KEPT_OUTPUT) {
                    kept.delete(0, kept.length() - KEPT_OUTPUT);
                }
            }
        }

        String kept() {
            synchronized (kept) {
                return kept.length() > KEPT_OUTPUT ? kept.substring(kept.length() - KEPT_OUTPUT) : kept.toString();
            }
        }
    }

    /**
     * Installs standard input as $1 in one command (one round trip more than the command itself,
     * where an SFTP write then an install took several): written beside the target under a
     * temporary name, checked against the SHA-256 of what was sent (a connection cut mid-way ends
     * the input early: that file is never installed), its mode and owner set, then renamed over
     * the target, so that the target is the old file or the new one, whole.
     */
    private static final String INSTALL_SCRIPT = "set -e; umask 077; t=\"$(dirname \"$1\")/.$(basename \"$1\").catops.$$\";"
            + " trap 'rm -f \"$t\"' EXIT; cat > \"$t\";"
            + " if [ \"$(sha256sum < \"$t\")\" != \"$4  -\" ]; then echo 'the file arrived incomplete' >&2; exit 1; fi;"
            + " chmod \"$2\" \"$t\"; if [ -n \"$3\" ]; then chown \"$3\" \"$t\"; fi; mv -f \"$t\" \"$1\"";

    @Override
    public void upload(byte[] content, String path, String mode, String owner, String becomeUser) throws RemoteException {
        if (!mode.matches("0?[0-7]{3,4}")) {
            throw new IllegalArgumentException("mode must be octal, e.g. 0640: " + mode);
        }
        Command install = installCommand(content, path, mode, owner);
        ExecResult r = exec(becomeUser == null ? install : install.become(becomeUser));
        if (!r.ok()) {
            throw new RemoteException(RemoteException.Reason.IO, settings.host() + ": cannot install " + path + ": "
                    + r.stderr().strip() + " (the previous file, if any, is unchanged)");
        }
    }

    /**
     * The command {@link #upload} runs: the content on its standard input.
     *
     * @param content the file's bytes
     * @param path the target
     * @param mode octal mode
     * @param owner {@code user:group} for chown, or null
     * @return the command, its input set
     */
    public static Command installCommand(byte[] content, String path, String mode, String owner) {
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Command.of("sh", "-c", INSTALL_SCRIPT, "sh", path, mode, owner == null ? "" : owner, sha256).withStdin(content);
    }

    @Override
    public byte[] download(String path) throws RemoteException {
        try (RemoteFile file = sftp().open(path, EnumSet.of(OpenMode.READ))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[32 * 1024];
            long offset = 0;
            for (int n; (n = file.read(offset, buf, 0, buf.length)) > 0; offset += n) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw transferFailure("cannot read " + path, e);
        }
    }

    /** A file transfer that failed; one cut short by an abort says so (sshj reports the interrupt as an IOException). */
    private RemoteException transferFailure(String what, IOException e) {
        if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new RemoteException(RemoteException.Reason.ABORTED, settings.host() + ": the run was aborted: " + what
                    + " was cut short");
        }
        if (!client.isConnected()) {
            return gone(what + " did not finish");
        }
        return new RemoteException(RemoteException.Reason.IO, settings.host() + ": " + what + ": " + oneLine(e));
    }

    private SFTPClient sftp() throws IOException {
        if (!client.isConnected()) {
            throw new IOException("not connected");
        }
        if (sftp == null) {
            sftp = client.newSFTPClient();
        }
        return sftp;
    }

    @Override
    public void close() {
        if (sftp != null) {
            try {
                sftp.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeQuietly(client);
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException ignored) {
            // already gone
        }
    }

    static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
    }
}
