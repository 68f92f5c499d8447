package hudson;

import hudson.util.DirScanner;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test harness's FilePath, for local files (it shadows the stub on the test class path, with
 * the same public members; FilePathHarnessTest checks that). Its copy behaves as Jenkins' does:
 * {@link #copyRecursiveTo(FilePath)} is a glob of {@code **}{@code /*} with Ant's default
 * excludes, so no .git, .gitignore or .gitattributes; only files and symbolic links are copied
 * (files with their attributes, links as links), never a folder by itself.
 */
public final class FilePath implements org.jenkinsci.remoting.SerializableOnlyOverRemoting {
    private static final long serialVersionUID = 1L;
    private final String remote;

    public FilePath(File localPath) {
        this.remote = localPath.getPath();
    }

    private Path path() {
        return Path.of(remote);
    }

    public FilePath child(String relOrAbsolute) {
        return new FilePath(path().resolve(relOrAbsolute).toFile());
    }

    public String getRemote() {
        return remote;
    }

    public String getName() {
        return path().getFileName().toString();
    }

    public boolean exists() throws IOException, InterruptedException {
        return Files.exists(path());
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        return Files.isDirectory(path());
    }

    public List<FilePath> list() throws IOException, InterruptedException {
        if (!Files.isDirectory(path())) {
            return null;
        }
        List<FilePath> children = new ArrayList<>();
        try (Stream<Path> all = Files.list(path())) {
            all.forEach(p -> children.add(new FilePath(p.toFile())));
        }
        return children;
    }

    public int copyRecursiveTo(FilePath target) throws IOException, InterruptedException {
        return copyRecursiveTo(new DirScanner.Glob("**/*", null), target, "**/*");
    }

    public int copyRecursiveTo(DirScanner scanner, FilePath target, String description) throws IOException,
            InterruptedException {
        int count = 0;
        for (String relative : scanner.includedFiles(path().toFile())) {
            Path from = path().resolve(relative);
            Path to = target.path().resolve(relative);
            Files.createDirectories(to.getParent());
            if (Files.isSymbolicLink(from)) {
                Files.deleteIfExists(to);
                Files.createSymbolicLink(to, Files.readSymbolicLink(from));
            } else if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue;
            }
            count++;
        }
        return count;
    }

    /** Runs {@code callable} here, on the local file (the test context's workspace runs it as remoting would). */
    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        return callable.invoke(path().toFile(), null);
    }

    public <V, E extends Throwable> V act(hudson.remoting.Callable<V, E> callable) throws IOException, InterruptedException, E {
        return callable.call();
    }

    /** No channel: the file is local. */
    public hudson.remoting.VirtualChannel getChannel() {
        return null;
    }

    public interface FileCallable<T> extends Serializable, org.jenkinsci.remoting.RoleSensitive {
        T invoke(File f, hudson.remoting.VirtualChannel channel) throws IOException, InterruptedException;
    }
}
