package fr.gouv.data.catalogue.ops.jenkins;

import com.google.common.util.concurrent.ListenableFuture;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A Pipeline step's world without Jenkins: the build log (kept whole, to search it), the run, its
 * environment, a workspace folder on this machine and the credentials store, whose lookups are
 * recorded, as are the folders the steps copy the ops folder into. {@link #install()} puts the workspace and credentials where the steps look for them.
 * The workspace is a {@link FilePath} (the harness's, which copies as Jenkins' does) read through
 * the plugin's own {@link JenkinsApi}, so the steps' copies run the calls a real Jenkins runs.
 */
final class TestContext extends StepContext implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    static final class TestJob extends Job<TestJob, TestRun> {
    }

    static final class TestRun extends Run<TestJob, TestRun> {
    }

    final transient ByteArrayOutputStream log = new ByteArrayOutputStream();
    final transient PrintStream logger = new PrintStream(log, true, StandardCharsets.UTF_8);
    final transient TaskListener listener = () -> logger;
    final transient TestRun run = new TestRun();
    final transient EnvVars env = new EnvVars();
    final transient Path workspace;
    final transient Map<String, byte[]> secrets = new HashMap<>();
    final transient Map<String, JenkinsServices.SshKey> keys = new HashMap<>();
    final transient List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    /** Every folder a step copied the workspace's ops folder into, in order. */
    final transient List<Path> copies = Collections.synchronizedList(new ArrayList<>());
    private transient JenkinsServices previous;

    TestContext(Path workspace) {
        this.workspace = workspace;
    }

    /** Copies a folder and all it holds (files with their modes, empty folders too): sets up a test's files. */
    static void copyTree(Path from, Path into) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = into.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** The whole build log so far. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    TestContext install() {
        previous = JenkinsServices.Holder.current;
        JenkinsServices.Holder.current = new JenkinsServices() {
            @Override
            public Workspace workspace(StepContext context) throws IOException, InterruptedException {
                Workspace real = new JenkinsApi().workspace(context);
                return new Workspace() {
                    @Override
                    public boolean exists(String relative) throws IOException, InterruptedException {
                        return real.exists(relative);
                    }

                    @Override
                    public void copyFolder(String relative, Path into) throws IOException, InterruptedException {
                        copies.add(into);
                        real.copyFolder(relative, into);
                    }
                };
            }

            @Override
            public byte[] secret(String id, Run<?, ?> r) throws IOException {
                lookups.add(id);
                byte[] s = secrets.get(id);
                if (s == null || r != run) {
                    throw new hudson.AbortException("credentials '" + id + "': not found");
                }
                return s.clone();
            }

            @Override
            public SshKey sshKey(String id, Run<?, ?> r) throws IOException {
                lookups.add(id);
                SshKey k = keys.get(id);
                if (k == null || r != run) {
                    throw new hudson.AbortException("credentials '" + id + "': no SSH private key with that id");
                }
                return k;
            }
        };
        return this;
    }

    @Override
    public void close() {
        if (previous != null) {
            JenkinsServices.Holder.current = previous;
        }
    }

    @Override
    public <T> T get(Class<T> key) {
        if (key == TaskListener.class) {
            return key.cast(listener);
        }
        if (key == Run.class) {
            return key.cast(run);
        }
        if (key == EnvVars.class) {
            return key.cast(env);
        }
        if (key == FilePath.class) {
            return key.cast(new FilePath(workspace.toFile()));
        }
        return null;
    }

    @Override
    public void onSuccess(Object result) {
    }

    @Override
    public void onFailure(Throwable t) {
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public ListenableFuture<Void> saveState() {
        return null;
    }

    @Override
    public void setResult(Result r) {
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        throw new IllegalStateException("no body");
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
