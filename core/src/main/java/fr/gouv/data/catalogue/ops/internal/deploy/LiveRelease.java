package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;

/**
 * The live release of one host, for work done in it under the deploy lock (initial data, the
 * app's tools): where it is, what it runs, and commands and files as the app's user. Output given
 * to a listener is masked line by line.
 */
public final class LiveRelease {
    private final DeployHost host;
    private final ReleaseManifest manifest;

    LiveRelease(DeployHost host, ReleaseManifest manifest) {
        this.host = host;
        this.manifest = manifest;
    }

    public String host() {
        return host.name;
    }

    public String id() {
        return manifest.id();
    }

    public String commit() {
        return manifest.commit();
    }

    /** The release's folder (its working directory: code, {@code .env}, {@code venv}). */
    public String dir() {
        return host.layout.release(manifest.id());
    }

    public String appUser() {
        return host.settings.appUser();
    }

    /** Runs a command as the app's user; each line of its output reaches {@code listener} masked. */
    public ExecResult exec(Command command, OutputListener listener) throws OpsException {
        OutputListener masked = (h, stderr, line) -> listener.line(h, stderr, host.mask(line));
        return host.asApp(command, masked);
    }

    /** Writes a file as the app's user, with {@code mode} (the content never reaches a command line). */
    public void upload(byte[] content, String path, String mode) throws OpsException {
        host.uploadAsApp(content, path, mode);
    }

    public String mask(String text) {
        return host.mask(text);
    }

    /** The last lines of a result's output, masked, for a one-line message. */
    public String tail(ExecResult r, int lines) {
        return host.tail(r, lines);
    }
}
