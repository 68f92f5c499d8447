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
 * recorded, as are the folders the steps copy the ops folder into. {@link #install()} puts the
 * workspace and credentials where the steps look for them.
 *
 * <p>The workspace runs work as an agent does over remoting ({@code FilePath.act}): the callable
 * is serialized and deserialized (the build log crosses as an exported listener, as remoting
 * exports a TaskListener's stream), runs on a thread of its own (the "agent"), and its result or
 * exception comes back serialized; interrupting the caller cancels the call, which interrupts the
 * agent's thread, as remoting's Request.Cancel does.
 */
final class TestContext extends StepContext implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    static final class TestJob extends Job<TestJob, TestRun> {
    }

    static final class TestRun extends Run<TestJob, TestRun> {
        /** The user who started the build, or null (no user cause). */
        volatile String startedBy;

        @Override
        public <T extends hudson.model.Cause> T getCause(Class<T> type) {
            if (type != hudson.model.Cause.UserIdCause.class || startedBy == null) {
                return null;
            }
            String user = startedBy;
            return type.cast(new hudson.model.Cause.UserIdCause(user) {
                @Override
                public String getUserId() {
                    return user;
                }
            });
        }
    }

    /** Build logs by id, as remoting's export table holds the streams of listeners sent to agents. */
    private static final Map<Integer, PrintStream> EXPORTED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();

    /** A build log that crosses serialization by its id; written from either side, it reaches the same log. */
    static final class ExportedListener implements TaskListener {
        private static final long serialVersionUID = 1L;
        private final int id;

        ExportedListener(PrintStream log) {
            this.id = IDS.incrementAndGet();
            EXPORTED.put(id, log);
        }

        @Override
        public PrintStream getLogger() {
            return EXPORTED.get(id);
        }
    }

    final transient ByteArrayOutputStream log = new ByteArrayOutputStream();
    final transient PrintStream logger = new PrintStream(log, true, StandardCharsets.UTF_8);
    final transient TaskListener listener = new ExportedListener(logger);
    final transient TestRun run = new TestRun();
    final transient EnvVars env = new EnvVars();
    final transient Path workspace;
    final transient Map<String, byte[]> secrets = new HashMap<>();
    final transient Map<String, JenkinsServices.SshKey> keys = new HashMap<>();
    final transient List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    /** Every folder a step copied the workspace's ops folder into, in order. */
    final transient List<Path> copies = Collections.synchronizedList(new ArrayList<>());
    /** Every callable sent to the workspace's node, as the step built it (before serialization). */
    final transient List<hudson.FilePath.FileCallable<?>> sent = Collections.synchronizedList(new ArrayList<>());
    /** The "agent" threads that ran them. */
    final transient List<Thread> agentThreads = Collections.synchronizedList(new ArrayList<>());
    private transient JenkinsServices previous;
    private transient java.util.function.Consumer<Path> previousCopies;

    TestContext(Path workspace) {
        this.workspace = workspace;
    }

    /** Copies a folder and all it holds (files with their modes). */
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

    /** What remoting does to an object it sends: Java serialization there and back. */
    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T object) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    /** Runs {@code work} as an agent would: serialized, on a thread of its own, cancelled (interrupted) when the caller is. */
    <T> T runOnAgent(hudson.FilePath.FileCallable<T> work) throws IOException, InterruptedException {
        sent.add(work);
        hudson.FilePath.FileCallable<T> there = roundTrip(work);
        java.util.concurrent.FutureTask<Object> call = new java.util.concurrent.FutureTask<>(() -> {
            try {
                return roundTrip(there.invoke(workspace.toFile(), null));
            } catch (Throwable t) {
                throw new java.util.concurrent.ExecutionException(roundTrip(t));
            }
        });
        Thread agent = new Thread(call, "test-agent-" + agentThreads.size());
        agentThreads.add(agent);
        agent.start();
        try {
            @SuppressWarnings("unchecked")
            T result = (T) call.get();
            return result;
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.ExecutionException inner ? inner.getCause() : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** Waits (up to {@code millis}) until every agent thread has ended; whether they all have. */
    boolean agentsEnded(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread t : List.copyOf(agentThreads)) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /** The whole build log so far. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    TestContext install() {
        previous = JenkinsServices.Holder.current;
        previousCopies = OpsRun.copies;
        OpsRun.copies = copies::add;
        JenkinsServices.Holder.current = new JenkinsServices() {
            @Override
            public Workspace workspace(StepContext context) throws IOException, InterruptedException {
                Workspace real = new JenkinsApi().workspace(context);
                return new Workspace() {
                    @Override
                    public <T> T act(hudson.FilePath.FileCallable<T> work) throws IOException, InterruptedException {
                        return runOnAgent(work);
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
            OpsRun.copies = previousCopies;
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
