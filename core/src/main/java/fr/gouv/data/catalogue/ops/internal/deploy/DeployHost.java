package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.DeployListener;
import fr.gouv.data.catalogue.ops.report.DeployStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One host during a deploy: its connection, settings and layout, what the probe found, and the
 * steps run so far. Commands inside {@code workdir} run as the app's user; supervisor and nginx
 * as root (through sudo when the login is not root). Every output shown is masked.
 */
final class DeployHost implements AutoCloseable {
    final String name;
    final Remote remote;
    final String loginUser;
    final String rootVia;
    final HostVariables vars;
    final DeploySettings settings;
    final ReleaseLayout layout;
    HostState state;
    Side liveSide;
    Side newSide;
    ReleaseManifest live;
    ReleaseManifest release;
    boolean reusedVenv;
    boolean reusedNode;
    boolean started;
    /** A rollback's target runs on the idle side already (the standby a deploy left). */
    boolean warm;
    boolean switched;
    String result = "";
    String message = "";
    /** Said after a successful switch whose audit record could not be written; else empty. */
    String auditNote = "";
    final List<DeployStep> steps = Collections.synchronizedList(new ArrayList<>());
    private final Masking masking;
    private final DeployListener listener;

    DeployHost(String name, Remote remote, String loginUser, String rootVia, HostVariables vars, DeploySettings settings,
               ReleaseLayout layout, Masking masking, DeployListener listener) {
        this.name = name;
        this.remote = remote;
        this.loginUser = loginUser;
        this.rootVia = rootVia;
        this.vars = vars;
        this.settings = settings;
        this.layout = layout;
        this.masking = masking;
        this.listener = listener;
    }

    /** A step failed on this host; its message is the one line the user sees. */
    static final class StepFailure extends OpsException {
        StepFailure(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    interface Body {
        /** Runs the step; returns its status and message as "status: message" (status ok, changed, reused, skipped, would). */
        String run() throws OpsException;
    }

    /** Runs a step, records and reports it; a failure is recorded then thrown as a {@link StepFailure}. */
    String step(String step, Body body) throws StepFailure, InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before " + step);
        }
        long start = System.nanoTime();
        try {
            String out = body.run();
            int colon = out.indexOf(':');
            String status = colon < 0 ? out : out.substring(0, colon);
            String msg = colon < 0 ? "" : out.substring(colon + 1).strip();
            record(step, status, msg, start);
            return status;
        } catch (OpsException e) {
            String msg = masking.mask(e.getMessage());
            record(step, "failed", msg, start);
            throw new StepFailure(name + ": " + step + ": " + msg);
        } catch (RuntimeException e) {
            record(step, "failed", "internal error: " + e, start);
            throw new StepFailure(name + ": " + step + ": internal error: " + e);
        }
    }

    private void record(String step, String status, String msg, long start) {
        DeployStep s = new DeployStep(name, step, status, msg, java.time.Duration.ofNanos(System.nanoTime() - start));
        steps.add(s);
        listener.stepEnded(s);
    }

    ExecResult asRoot(Command c) throws OpsException {
        return remote.exec(rootVia == null ? c : c.become(rootVia));
    }

    ExecResult asApp(Command c) throws OpsException {
        return asApp(c, fr.gouv.data.catalogue.ops.internal.remote.OutputListener.NONE);
    }

    ExecResult asApp(Command c, fr.gouv.data.catalogue.ops.internal.remote.OutputListener lines) throws OpsException {
        return remote.exec(settings.appUser().equals(loginUser) ? c : c.become(settings.appUser()), lines);
    }

    /** As {@link #asApp}; a non-zero exit fails with the end of the output, masked. */
    String appOk(Command c, String what) throws OpsException {
        return ok(asApp(c), what);
    }

    String rootOk(Command c, String what) throws OpsException {
        return ok(asRoot(c), what);
    }

    String ok(ExecResult r, String what) throws OpsException {
        if (!r.ok()) {
            throw new OpsException(what + " failed (exit " + r.exitCode() + "): " + tail(r, 8));
        }
        return r.stdout();
    }

    String tail(ExecResult r, int lines) {
        String text = (r.stdout().strip() + "\n" + r.stderr().strip()).strip();
        String[] all = text.split("\n");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            out.append(i == Math.max(0, all.length - lines) ? "" : " | ").append(all[i].strip());
        }
        return masking.mask(out.toString());
    }

    String mask(String text) {
        return masking.mask(text);
    }

    /** Writes a file owned by the app's user (through root when the app's user is not the login). */
    void uploadAsApp(String content, String path, String mode) throws OpsException {
        uploadAsApp(content.getBytes(StandardCharsets.UTF_8), path, mode);
    }

    void uploadAsApp(byte[] bytes, String path, String mode) throws OpsException {
        if (settings.appUser().equals(loginUser)) {
            remote.upload(bytes, path, mode, null, null);
        } else {
            remote.upload(bytes, path, mode, settings.appUser() + ":", rootVia);
        }
    }

    void uploadAsRoot(String content, String path, String mode) throws OpsException {
        remote.upload(content.getBytes(StandardCharsets.UTF_8), path, mode, "root:root", rootVia);
    }

    void writeManifest(ReleaseManifest m) throws OpsException {
        uploadAsApp(m.toJson() + "\n", layout.manifest(m.id()), "0644");
    }

    @Override
    public void close() {
        remote.close();
    }
}
