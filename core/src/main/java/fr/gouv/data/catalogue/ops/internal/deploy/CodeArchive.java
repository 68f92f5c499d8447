package fr.gouv.data.catalogue.ops.internal.deploy;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The code of one commit, resolved and read on the deploying machine: {@code git_repo} fetched
 * (JGit, any URL it fetches) into a bare cache outside the ops folder, {@code git_version}
 * resolved to one commit (tag, branch, full or abbreviated commit id), and its files as an
 * archive with {@code REVISION} added. Hosts need no access to the repository.
 */
public final class CodeArchive {
    /**
     * A resolved commit and the files deploy needs to know before touching a host; {@code tar}
     * is the archive to upload, or null when the hosts fetch the commit themselves ({@link PullCode}).
     */
    public record Resolved(String commit, String ref, long commitTime, Map<String, byte[]> keyFiles, Tar tar) {
    }

    /**
     * The commit's files as an archive, read from the repository cache the first time a host needs
     * them: a deploy with nothing to change never reads them.
     */
    public static final class Tar {
        private final Path cache;
        private final String commit;
        private byte[] bytes;

        Tar(Path cache, String commit) {
            this.cache = cache;
            this.commit = commit;
        }

        /** The archive (built once, then shared by every host's upload). */
        public synchronized byte[] bytes() throws OpsException {
            if (bytes == null) {
                try (Git git = Git.open(cache.toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
                    bytes = archive(git.getRepository(), walk.parseCommit(ObjectId.fromString(commit)));
                } catch (IOException e) {
                    throw new OpsException("cannot read commit " + commit.substring(0, 7) + " from the repository cache " + cache
                            + ": " + e.getMessage());
                }
            }
            return bytes;
        }
    }

    /** Files whose content keys the reused virtualenv and node modules. */
    static final List<String> KEY_FILES = List.of("requirements.txt", "client/package-lock.json", "client/package.json");

    private CodeArchive() {
    }

    public static Path cacheFor(Path cacheRoot, String url) {
        return cacheRoot.resolve(sha256(url.getBytes(StandardCharsets.UTF_8)).substring(0, 32) + ".git");
    }

    /** Fetches {@code url} into the cache and resolves {@code ref}; an unknown ref or unreachable repository is one line. */
    public static Resolved resolve(Path cacheRoot, String url, String ref, CredentialsProvider credentials)
            throws OpsException {
        Path cache = cacheFor(cacheRoot, url);
        try {
            if (!Files.isDirectory(cache.resolve("objects"))) {
                Files.createDirectories(cache);
                Git.init().setBare(true).setDirectory(cache.toFile()).call().close();
            }
        } catch (IOException | GitAPIException e) {
            throw new OpsException("cannot create the repository cache " + cache + ": " + e.getMessage());
        }
        try (Git git = Git.open(cache.toFile())) {
            try {
                git.fetch().setRemote(url).setCredentialsProvider(credentials).setRemoveDeletedRefs(true)
                        .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                        .call();
            } catch (GitAPIException | RuntimeException e) {
                throw new ConfigException("git_repo " + shown(url) + " cannot be fetched: " + oneLine(e) + "; nothing was changed");
            }
            Repository repo = git.getRepository();
            if (repo.getRefDatabase().getRefs().isEmpty()) {
                throw new ConfigException("git_repo " + shown(url) + " has no branch or tag (an empty repository); nothing was changed");
            }
            ObjectId id = lookup(repo, ref);
            if (id == null) {
                throw new ConfigException("git_version " + ref + " is not a branch, tag or commit of " + shown(url)
                        + "; nothing was changed");
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit commit = walk.parseCommit(id);
                return new Resolved(commit.getName(), ref, commit.getCommitTime(), keyFiles(repo, commit),
                        new Tar(cache, commit.getName()));
            }
        } catch (IOException e) {
            throw new OpsException("cannot read the repository cache " + cache + ": " + e.getMessage());
        }
    }

    private static ObjectId lookup(Repository repo, String ref) throws IOException {
        for (String candidate : List.of(Constants.R_TAGS + ref, Constants.R_HEADS + ref)) {
            ObjectId id = repo.resolve(candidate + "^{commit}");
            if (id != null) {
                return id;
            }
        }
        if (ref.matches("[0-9a-fA-F]{4,40}")) {
            try {
                return repo.resolve(ref + "^{commit}");
            } catch (org.eclipse.jgit.errors.AmbiguousObjectException e) {
                return null;
            } catch (org.eclipse.jgit.errors.RevisionSyntaxException | org.eclipse.jgit.errors.MissingObjectException e) {
                return null;
            }
        }
        return null;
    }

    /** The files whose content keys the reused virtualenv and node modules, those the commit has. */
    static Map<String, byte[]> keyFiles(Repository repo, RevCommit commit) throws IOException {
        Map<String, byte[]> keyFiles = new LinkedHashMap<>();
        for (String path : KEY_FILES) {
            try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
                if (walk != null && (walk.getFileMode(0).getObjectType() == Constants.OBJ_BLOB)
                        && walk.getFileMode(0) != FileMode.SYMLINK) {
                    keyFiles.put(path, repo.open(walk.getObjectId(0)).getBytes());
                }
            }
        }
        return keyFiles;
    }

    static byte[] archive(Repository repo, RevCommit commit) throws IOException {
        UstarWriter tar = new UstarWriter(commit.getCommitTime());
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String path = walk.getPathString();
                if (mode == FileMode.GITLINK) {
                    continue;
                }
                byte[] content = repo.open(walk.getObjectId(0)).getBytes();
                if (mode == FileMode.SYMLINK) {
                    tar.symlink(path, new String(content, StandardCharsets.UTF_8));
                } else {
                    tar.file(path, mode == FileMode.EXECUTABLE_FILE ? 0755 : 0644, content);
                }
            }
        }
        tar.file("REVISION", 0644, (commit.getName() + "\n").getBytes(StandardCharsets.US_ASCII));
        return tar.finish();
    }

    public static String sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(Throwable e) {
        Throwable t = e;
        String msg = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                msg = t.getMessage();
            }
        }
        return msg == null ? e.toString() : msg.replace('\n', ' ').strip();
    }

    /**
     * A repository URL as messages show it: the user information of a URL ({@code
     * https://TOKEN@host/...}, {@code https://user:TOKEN@host/...}) may be a credential, so it is
     * replaced by {@code ***}.
     */
    public static String shown(String url) {
        return url == null ? null : url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1***@");
    }
}
