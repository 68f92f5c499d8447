package fr.gouv.data.catalogue.ops.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real repositories made and inspected with the git command line: a bare origin and clones of it. */
public final class GitFixture {
    public final Path root;
    public final Path origin;

    public GitFixture(Path root) throws Exception {
        this.root = root;
        this.origin = root.resolve("origin.git");
        git(root, "init", "-q", "--bare", "-b", "master", origin.toString());
        Path seed = clone("seed");
        commit(seed, "README.md", "catalogue\n", "Initial commit");
        git(seed, "push", "-q", "origin", "master");
        git(seed, "push", "-q", "origin", "master:staging");
    }

    /** Runs git and returns its standard output, failing the test on a non-zero exit. */
    public String git(Path dir, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = command(dir, args).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ":\n" + out);
        }
        return out.strip();
    }

    /** Runs git with {@code input} as its standard input; returns its standard output byte for byte. */
    public byte[] gitBytes(Path dir, byte[] input, String... args) throws IOException, InterruptedException {
        Path errors = Files.createTempFile(root, "git-stderr", ".txt");
        Process p = command(dir, args).redirectError(errors.toFile()).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input);
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed in " + dir + ":\n" + Files.readString(errors));
        }
        return out;
    }

    /** A commit's change as git diff-tree prints it, in the form {@code git patch-id} reads. */
    public byte[] patch(Path repo, String rev) throws Exception {
        return gitBytes(repo, new byte[0], "diff-tree", "-p", "--root", "--no-commit-id", "--full-index", "--no-renames", rev);
    }

    /** What {@code git patch-id --stable} says of the commit's change; "" when it has none. */
    public String patchId(Path repo, String rev) throws Exception {
        String line = new String(gitBytes(repo, patch(repo, rev), "patch-id", "--stable"), StandardCharsets.US_ASCII).strip();
        return line.isEmpty() ? "" : line.split(" ")[0];
    }

    private ProcessBuilder command(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().put("HOME", root.toString());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_AUTHOR_NAME", "Dev");
        pb.environment().put("GIT_AUTHOR_EMAIL", "dev@example.org");
        pb.environment().put("GIT_COMMITTER_NAME", "Dev");
        pb.environment().put("GIT_COMMITTER_EMAIL", "dev@example.org");
        return pb;
    }

    public Path clone(String name) throws Exception {
        Path dir = root.resolve(name);
        git(root, "clone", "-q", origin.toString(), dir.toString());
        git(dir, "config", "user.name", "Dev");
        git(dir, "config", "user.email", "dev@example.org");
        return dir;
    }

    public void commit(Path repo, String file, String content, String message) throws Exception {
        Path f = repo.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        git(repo, "add", file);
        git(repo, "commit", "-q", "-m", message);
    }

    public String rev(Path repo, String ref) throws Exception {
        return git(repo, "rev-parse", ref);
    }

    public String originRev(String ref) throws Exception {
        return git(root, "--git-dir", origin.toString(), "rev-parse", ref);
    }

    /** Every ref, HEAD and the status: what must not change when an operation is refused. */
    public String state(Path repo) throws Exception {
        return git(repo, "for-each-ref", "--format=%(refname) %(objectname)") + "\nHEAD " + git(repo, "symbolic-ref", "-q", "HEAD")
                + "\n" + git(repo, "status", "--porcelain", "--untracked-files=all");
    }
}
