package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.report.HostToolRun;
import fr.gouv.data.catalogue.ops.report.ToolOutput;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code catalogueRun env: 'prod', tool: 'dedupe-tags', args: ['--dry-run']}: {@code catalogue-ops run}
 * in a Pipeline, on the node that holds the workspace: one of the app's tools in the live release of
 * the first web host, its output streamed to the build log (masked). {@code args} is a list, one
 * argument per element, never split. Returns the map of {@link #result}. A non-zero exit fails the
 * step, its exit code in the message, unless {@code returnStatus: true} (as {@code sh} does).
 */
public final class CatalogueRunStep extends EnvironmentStep {
    private final String tool;
    private ArrayList<String> args = new ArrayList<>();
    private boolean returnStatus;
    private int wait;

    @DataBoundConstructor
    public CatalogueRunStep(String env, String tool) {
        super(env);
        this.tool = blankToNull(tool);
    }

    public String getTool() {
        return tool;
    }

    public List<String> getArgs() {
        return List.copyOf(args);
    }

    /** The tool's arguments, one per element (never split on spaces); they reach the host's command line, so never a secret. */
    @DataBoundSetter
    public void setArgs(List<String> args) {
        ArrayList<String> copy = new ArrayList<>();
        for (Object a : args == null ? List.<String>of() : args) {
            if (a == null) {
                throw new IllegalArgumentException("catalogueRun: args holds a null; give a list of strings, e.g. args: ['--dry-run']");
            }
            copy.add(String.valueOf(a));
        }
        this.args = copy;
    }

    public boolean isReturnStatus() {
        return returnStatus;
    }

    @DataBoundSetter
    public void setReturnStatus(boolean returnStatus) {
        this.returnStatus = returnStatus;
    }

    public int getWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(int wait) {
        this.wait = wait;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** The tool's lines to the build log as they come, the host first when several hosts run. */
    static ToolOutput stream(PrintStream log, boolean withHost) {
        return (host, stderr, line) -> {
            synchronized (log) {
                log.println(withHost ? host + " | " + line : line);
                log.flush();
            }
        };
    }

    /** One line per host, as the command line ends a run. */
    static void recap(PrintStream log, ToolRunReport r) {
        for (HostToolRun h : r.hosts()) {
            log.printf("%s %s on %s (release %s): exit %d%s, %.1f s%n", h.succeeded() ? "done  " : "FAILED", r.tool(), h.host(),
                    h.release(), h.exitCode(), h.message().isEmpty() ? "" : " (" + h.message() + ")", h.duration().toMillis() / 1000.0);
        }
        log.flush();
    }

    /** The host that failed and how, for a step's failure message; empty when every host succeeded. */
    static String failed(ToolRunReport r) {
        return r.hosts().stream().filter(h -> !h.succeeded()).findFirst()
                .map(h -> "failed on " + h.host() + " (release " + h.release() + ") with exit code " + h.exitCode()
                        + (h.message().isEmpty() ? "" : ": " + h.message()))
                .orElse("");
    }

    /**
     * A tool run as a Pipeline map: {@code environment}, {@code tool}, {@code succeeded},
     * {@code exitCode} (the tool's own: the first non-zero one, else 0), {@code hosts} (their
     * names, in the order they ran), {@code durationMs} and {@code perHost}: for each host its
     * {@code release}, {@code commit}, {@code exitCode}, {@code message} and {@code durationMs}.
     */
    static Map<String, Object> result(ToolRunReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", r.environment());
        doc.put("tool", r.tool());
        doc.put("succeeded", r.succeeded());
        doc.put("exitCode", r.exitCode());
        doc.put("hosts", new ArrayList<>(r.hosts().stream().map(HostToolRun::host).toList()));
        doc.put("durationMs", r.duration().toMillis());
        Map<String, Object> perHost = new LinkedHashMap<>();
        for (HostToolRun h : r.hosts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("release", h.release());
            m.put("commit", h.commit());
            m.put("exitCode", h.exitCode());
            m.put("message", h.message());
            m.put("durationMs", h.duration().toMillis());
            perHost.put(h.host(), m);
        }
        doc.put("perHost", perHost);
        return doc;
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueRunStep step;
        private final transient StepContext context;

        Execution(CatalogueRunStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            step.requireEnv("catalogueRun env: 'prod', tool: 'dedupe-tags'");
            if (step.tool == null) {
                throw new AbortException("catalogueRun: tool is required, e.g. catalogueRun env: '" + step.getEnv()
                        + "', tool: 'dedupe-tags' (catalogue-ops run " + step.getEnv() + " --list lists the tools)");
            }
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The tool's run, from the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final String tool;
        private final ArrayList<String> args;
        private final boolean returnStatus;
        private final int wait;

        Work(OpsStep.Launch launch, CatalogueRunStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.tool = step.tool;
            this.args = new ArrayList<>(step.args);
            this.returnStatus = step.returnStatus;
            this.wait = step.wait;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                ops.log().println("running " + tool + " on " + env + (args.isEmpty() ? "" : " with " + String.join(" ", args)));
                ToolRunReport report = ops.opsWithSecretsMasked(env, null).run(env, tool).arguments(args)
                        .waitForLock(wait > 0 ? Duration.ofSeconds(wait) : null).output(stream(ops.log(), false)).call();
                recap(ops.log(), report);
                if (!report.succeeded() && !returnStatus) {
                    throw ops.failure("catalogueRun " + env + " " + tool + " " + failed(report));
                }
                return result(report);
            } catch (OpsException e) {
                throw ops.failure("catalogueRun " + env + " " + tool + ": " + e.getMessage());
            } catch (InterruptedException e) {
                throw ops.aborted(e);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueRun";
        }

        @Override
        public String getDisplayName() {
            return "Run one of the app's tools in a catalogue environment's live release (catalogue-ops run)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
