package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.doctor.DoctorConsole;
import fr.gouv.data.catalogue.ops.report.DoctorCheck;
import fr.gouv.data.catalogue.ops.report.DoctorReport;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code catalogueDoctor env: 'prod'}: {@code catalogue-ops doctor} in a Pipeline, on the node that
 * holds the workspace, changing nothing on the hosts; the same lines as the command line in the
 * build log. Returns {@code environment}, {@code healthy} (no check FAILed), {@code durationMs} and
 * {@code checks}, each {@code host}, {@code check}, {@code status} ({@code ok}, {@code warn} or
 * {@code FAIL}), {@code evidence}, {@code advice}. A FAIL fails the step only with
 * {@code failOnError: true}.
 */
public final class CatalogueDoctorStep extends EnvironmentStep {
    private boolean failOnError;

    @DataBoundConstructor
    public CatalogueDoctorStep(String env) {
        super(env);
    }

    public boolean isFailOnError() {
        return failOnError;
    }

    @DataBoundSetter
    public void setFailOnError(boolean failOnError) {
        this.failOnError = failOnError;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** The report as a Pipeline map (see the class). */
    static Map<String, Object> result(DoctorReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", r.environment());
        doc.put("healthy", r.healthy());
        doc.put("durationMs", r.duration().toMillis());
        doc.put("checks", DoctorConsole.checks(r));
        return doc;
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueDoctorStep step;
        private final transient StepContext context;

        Execution(CatalogueDoctorStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            step.requireEnv("catalogueDoctor env: 'prod'");
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** Doctor, from the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final boolean failOnError;

        Work(OpsStep.Launch launch, CatalogueDoctorStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.failOnError = step.failOnError;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                DoctorReport report = ops.opsWithSecretsMasked(env, null).doctor(env).call();
                DoctorConsole.print(ops.log(), report);
                if (failOnError && !report.healthy()) {
                    DoctorCheck first = report.checks().stream().filter(DoctorCheck::failed).findFirst().orElseThrow();
                    throw ops.failure("catalogueDoctor " + env + ": " + DoctorConsole.counts(report) + "; first: " + first.host()
                            + " " + first.check() + (first.evidence().isEmpty() ? "" : ": " + first.evidence()));
                }
                return result(report);
            } catch (OpsException e) {
                throw ops.failure("catalogueDoctor " + env + ": " + e.getMessage());
            } catch (InterruptedException e) {
                throw ops.aborted(e);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueDoctor";
        }

        @Override
        public String getDisplayName() {
            return "Examine a catalogue environment's web hosts, changing nothing (catalogue-ops doctor)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
