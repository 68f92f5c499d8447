package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code deploy_code: pull}: the hosts fetch {@code git_repo} themselves, as the original
 * playbook does, into a bare cache of their own ({@code shared/git/<key>.git}); a release gets the
 * commit's files from it ({@code git archive}, no {@code .git}) and {@code REVISION}.
 *
 * <p>The commit is resolved on the first web host, which must reach the repository anyway,
 * before the lock is taken and before anything else on any host: the deploying machine may well
 * have no access to the repository. The only thing written by then is that host's cache.
 *
 * <p>The repository's URL reaches the host on standard input, never on a command line (an
 * https URL may carry a token). Git never prompts: no terminal, SSH in batch mode.
 */
public final class PullCode {
    static final Duration FETCH_TIME = Duration.ofMinutes(10);

    /** Exit codes of the scripts, each a distinct failure the user can act on. */
    static final int NOT_A_DIRECTORY = 3;
    static final int UNREACHABLE = 4;
    static final int UNKNOWN_REF = 5;
    static final int EMPTY = 6;
    static final int MISSING_COMMIT = 7;
    static final int RELEASE_EXISTS = 8;

    /** Fetches everything (branches and tags) into the cache {@code $c} from the URL in {@code $url}. */
    private static final String FETCH = " export GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND=\"${GIT_SSH_COMMAND:-ssh -o BatchMode=yes}\";"
            + " if [ ! -d \"$c/objects\" ]; then rm -rf \"$c\"; mkdir -p \"$(dirname \"$c\")\"; git init -q --bare \"$c\" >/dev/null"
            + " || exit 1; fi;"
            + " git -C \"$c\" fetch -q --prune --force --no-write-fetch-head \"$url\" '+refs/heads/*:refs/heads/*'"
            + " '+refs/tags/*:refs/tags/*' || exit " + UNREACHABLE + ";";

    /**
     * Resolves the ref (a tag, then a branch, then a full or abbreviated commit id, as push mode
     * does) and prints {@code commit=}, {@code time=} and {@code file=<path> <base64>} for each key file.
     */
    static final String RESOLVE = "w=\"$1\"; c=\"$2\"; ref=\"$3\"; shift 3; IFS= read -r url || [ -n \"$url\" ];"
            + " if [ -e \"$w\" ] && [ ! -d \"$w\" ]; then exit " + NOT_A_DIRECTORY + "; fi;" + FETCH
            + " [ -n \"$(git -C \"$c\" for-each-ref --count=1)\" ] || exit " + EMPTY + "; id=;"
            + " for r in \"refs/tags/$ref\" \"refs/heads/$ref\"; do"
            + " id=$(git -C \"$c\" rev-parse -q --verify \"$r^{commit}\" 2>/dev/null) && break; id=; done;"
            + " if [ -z \"$id\" ] && [ ${#ref} -ge 4 ] && [ ${#ref} -le 40 ]; then case \"$ref\" in *[!0-9a-fA-F]*) ;;"
            + " *) id=$(git -C \"$c\" rev-parse -q --verify \"$ref^{commit}\" 2>/dev/null) || id=;; esac; fi;"
            + " [ -n \"$id\" ] || exit " + UNKNOWN_REF + "; echo \"commit=$id\";"
            + " echo \"time=$(git -C \"$c\" show -s --format=%ct \"$id\")\";"
            + " for f in \"$@\"; do if git -C \"$c\" cat-file -e \"$id:$f\" 2>/dev/null; then"
            + " echo \"file=$f $(git -C \"$c\" cat-file blob \"$id:$f\" | base64 -w0)\"; fi; done; exit 0";

    /**
     * Makes the release from the cache: fetched again only when the commit is not there (another
     * host, or a cache emptied meanwhile); unpacked beside the release folder, then renamed.
     */
    static final String CHECKOUT = "set -e; c=\"$1\"; id=\"$2\"; d=\"$3\"; IFS= read -r url || [ -n \"$url\" ];"
            + " if [ -e \"$d\" ]; then exit " + RELEASE_EXISTS + "; fi;"
            + " if ! git -C \"$c\" cat-file -e \"$id^{commit}\" 2>/dev/null; then set +e;" + FETCH + " set -e; fi;"
            + " git -C \"$c\" cat-file -e \"$id^{commit}\" 2>/dev/null || exit " + MISSING_COMMIT + ";"
            + " t=\"$d.partial\"; rm -rf \"$t\" \"$t.tar\"; mkdir -p \"$t\"; git -C \"$c\" archive --format=tar -o \"$t.tar\" \"$id\";"
            + " tar -x --no-same-owner -C \"$t\" -f \"$t.tar\"; rm -f \"$t.tar\"; printf '%s\\n' \"$id\" > \"$t/REVISION\";"
            + " mv -T \"$t\" \"$d\"";

    private PullCode() {
    }

    /** The host's bare cache of {@code url}, under {@code shared/}. */
    public static String cache(ReleaseLayout layout, String url) {
        return layout.workdir() + "/shared/git/" + CodeArchive.sha256(url.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".git";
    }

    private static byte[] urlLine(String url) {
        return (url + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Fetches into the host's cache and resolves {@code ref}; the URL on standard input. */
    public static Command resolve(ReleaseLayout layout, String url, String ref) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", RESOLVE, "sh", layout.workdir(), cache(layout, url), ref));
        argv.addAll(CodeArchive.KEY_FILES);
        return new Command(argv, null, urlLine(url), FETCH_TIME);
    }

    /** The commit's files into {@code releases/<id>/} with {@code REVISION}; the URL on standard input. */
    public static Command checkout(ReleaseLayout layout, String url, String commit, String id) {
        return new Command(List.of("sh", "-c", CHECKOUT, "sh", cache(layout, url), commit, layout.release(id)), null, urlLine(url),
                FETCH_TIME);
    }

    /**
     * What {@link #resolve} answered, as the same {@link CodeArchive.Resolved} push mode makes
     * (without an archive: the hosts fetch the files); a failure is one line naming the ref, the
     * repository and the host.
     */
    static CodeArchive.Resolved parse(String host, String url, String ref, int exit, String stdout, String errorTail)
            throws OpsException {
        errorTail = errorTail.replace(url, CodeArchive.shown(url));
        url = CodeArchive.shown(url);
        String where = " (resolved on " + host + ", deploy_code: pull)";
        switch (exit) {
            case 0 -> {
            }
            case NOT_A_DIRECTORY -> throw new ConfigException(host + ": workdir exists and is not a directory; fix workdir in"
                    + " group_vars");
            case UNREACHABLE -> throw new ConfigException("git_repo " + url + " cannot be fetched on " + host + ": " + errorTail
                    + "; nothing was changed");
            case EMPTY -> throw new ConfigException("git_repo " + url + " has no branch or tag (an empty repository)" + where
                    + "; nothing was changed");
            case UNKNOWN_REF -> throw new ConfigException("git_version " + ref + " is not a branch, tag or commit of " + url + where
                    + "; nothing was changed");
            default -> throw new OpsException(host + ": cannot resolve git_version " + ref + " of " + url + " (exit " + exit + "): "
                    + errorTail);
        }
        String commit = null;
        long time = 0;
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("commit=")) {
                commit = line.substring("commit=".length()).strip();
            } else if (line.startsWith("time=") && line.substring(5).strip().matches("[0-9]{1,12}")) {
                time = Long.parseLong(line.substring(5).strip());
            } else if (line.startsWith("file=")) {
                String rest = line.substring("file=".length());
                int space = rest.lastIndexOf(' ');
                String path = space < 0 ? rest : rest.substring(0, space);
                String b64 = space < 0 ? "" : rest.substring(space + 1).strip();
                if (CodeArchive.KEY_FILES.contains(path)) {
                    try {
                        files.put(path, Base64.getDecoder().decode(b64));
                    } catch (IllegalArgumentException e) {
                        throw new OpsException(host + ": unreadable " + path + " of " + ref + " from the repository cache");
                    }
                }
            }
        }
        if (commit == null || !commit.matches("[0-9a-f]{40}")) {
            throw new OpsException(host + ": resolving git_version " + ref + " gave no commit id");
        }
        return new CodeArchive.Resolved(commit, ref, time, files, null);
    }

    /** The one line for a failed {@link #checkout}. */
    static String checkoutFailure(String host, String url, String commit, String release, int exit, String errorTail) {
        errorTail = errorTail.replace(url, CodeArchive.shown(url));
        url = CodeArchive.shown(url);
        return switch (exit) {
            case UNREACHABLE -> "git_repo " + url + " cannot be fetched on " + host + ": " + errorTail;
            case MISSING_COMMIT -> "commit " + commit.substring(0, 7) + " is no longer in git_repo " + url
                    + " (a branch rewritten since the deploy started?); deploy again";
            case RELEASE_EXISTS -> "release folder " + release + " exists already";
            default -> "fetching the code failed (exit " + exit + "): " + errorTail;
        };
    }
}
