package fr.gouv.data.catalogue.ops.internal.deploy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Where a deploy keeps things under {@code workdir} on a host: {@code releases/<id>/} (one per
 * deploy, never changed once live), {@code current} (a symlink to the live release, replaced by a
 * rename), {@code shared/} (virtualenvs and node modules reused by content key), the lock and the
 * audit log.
 */
public record ReleaseLayout(String workdir) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("[0-9]{14}-[0-9a-f]{7}");

    public ReleaseLayout {
        while (workdir.length() > 1 && workdir.endsWith("/")) {
            workdir = workdir.substring(0, workdir.length() - 1);
        }
        if (!workdir.startsWith("/")) {
            throw new IllegalArgumentException("workdir must be an absolute path: " + workdir);
        }
    }

    /** A release's name: the UTC time it was made and the commit's first 7 hex digits. */
    public static String releaseId(Instant at, String commit) {
        return STAMP.format(at) + "-" + commit.substring(0, 7);
    }

    public static boolean isReleaseId(String text) {
        return text != null && ID.matcher(text).matches();
    }

    public String releases() {
        return workdir + "/releases";
    }

    public String release(String id) {
        return releases() + "/" + id;
    }

    public String manifest(String id) {
        return release(id) + "/" + MANIFEST;
    }

    public String current() {
        return workdir + "/current";
    }

    public String venv(String key) {
        return workdir + "/shared/venvs/" + key;
    }

    public String nodeModules(String key) {
        return workdir + "/shared/node/" + key;
    }

    public String lock() {
        return workdir + "/.deploy-lock";
    }

    public String history() {
        return workdir + "/deploy-history.jsonl";
    }

    /** The marker written last in a shared folder: without it the folder is half built. */
    public static final String COMPLETE = ".complete";
    public static final String MANIFEST = ".release.json";
}
