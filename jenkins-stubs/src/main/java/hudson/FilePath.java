package hudson;

import hudson.util.DirScanner;
import java.io.File;
import java.io.IOException;
import hudson.remoting.Callable;
import hudson.remoting.VirtualChannel;
import java.io.Serializable;
import java.util.List;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stub of the Jenkins API for compiling the plugin; never packaged. */
public final class FilePath implements SerializableOnlyOverRemoting {
    private static final long serialVersionUID = 1L;

    public FilePath(File localPath) {
    }

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("stub");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("stub");
    }

    public String getName() {
        throw new UnsupportedOperationException("stub");
    }

    public boolean exists() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    public List<FilePath> list() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    /** Copies {@code **}{@code /*} with Ant's default excludes (no .git, .gitignore...), files only. */
    public int copyRecursiveTo(FilePath target) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    /** Copies what {@code scanner} finds (files and symbolic links; no empty folders); {@code description} names it in errors. */
    public int copyRecursiveTo(DirScanner scanner, FilePath target, String description) throws IOException,
            InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("stub");
    }

    public <V, E extends Throwable> V act(Callable<V, E> callable) throws IOException, InterruptedException, E {
        throw new UnsupportedOperationException("stub");
    }

    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException("stub");
    }

    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
