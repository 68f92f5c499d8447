package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.report.HostPing;
import fr.gouv.data.catalogue.ops.report.PingResult;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
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
 * {@code cataloguePing env: 'prod'}: every host of the environment reached over SSH in parallel,
 * one line per host in the build log (pong and the round trip, or why not). Returns a map host to
 * {@code [ok, round_trip_ms, reason, error]}; fails the step when a host did not answer.
 */
public final class CataloguePingStep extends EnvironmentStep {
    private int timeout = 10;

    @DataBoundConstructor
    public CataloguePingStep(String env) {
        super(env);
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient CataloguePingStep step;
        private final transient StepContext context;

        Execution(CataloguePingStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            if (step.getEnv() == null || step.getEnv().isBlank() || step.timeout < 1) {
                throw new AbortException("cataloguePing: env is required and timeout must be at least 1 (seconds),"
                        + " e.g. cataloguePing env: 'staging'");
            }
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The ping, from the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final int timeout;

        Work(OpsStep.Launch launch, CataloguePingStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.timeout = step.timeout;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                PingResult result = ops.ops(null).ping(env).timeout(Duration.ofSeconds(timeout)).forks(10).call();
                Map<String, Object> answers = new LinkedHashMap<>();
                List<String> failed = new ArrayList<>();
                for (HostPing r : result.hosts()) {
                    ops.log().println(r.line(env));
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("ok", r.ok());
                    a.put("round_trip_ms", r.roundTrip().toMillis());
                    a.put("reason", r.ok() ? null : r.reason().name().toLowerCase());
                    a.put("error", r.ok() ? null : ops.masked(r.error()));
                    answers.put(r.host(), a);
                    if (!r.ok()) {
                        failed.add(r.host());
                    }
                }
                if (!failed.isEmpty()) {
                    throw new AbortException("cataloguePing " + env + ": no answer from " + String.join(", ", failed));
                }
                return answers;
            } catch (OpsException e) {
                throw ops.failure("cataloguePing " + env + ": " + e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "cataloguePing";
        }

        @Override
        public String getDisplayName() {
            return "Reach every host of a catalogue environment over SSH (catalogue-ops ping)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
