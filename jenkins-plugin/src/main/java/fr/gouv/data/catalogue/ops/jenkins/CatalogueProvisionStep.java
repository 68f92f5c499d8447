package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.ProvisionCommand;
import fr.gouv.data.catalogue.ops.internal.task.ConsoleReport;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
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
 * {@code catalogueProvision env: 'prod'}: {@code catalogue-ops provision} in a Pipeline, with the
 * same progress and recap in the build log. Returns a map: {@code hosts}, {@code ok},
 * {@code changed}, {@code failed}, {@code skipped}, {@code unreachable}, {@code duration_ms},
 * {@code succeeded}, {@code check}, {@code per_host}, {@code failures}. Fails the step when a host failed.
 */
public final class CatalogueProvisionStep extends EnvironmentStep {
    private boolean check;
    private boolean diff;
    private String limit;
    private String tags;
    private int forks = 10;
    private String extraVars;

    @DataBoundConstructor
    public CatalogueProvisionStep(String env) {
        super(env);
    }

    public boolean isCheck() {
        return check;
    }

    @DataBoundSetter
    public void setCheck(boolean check) {
        this.check = check;
    }

    public boolean isDiff() {
        return diff;
    }

    @DataBoundSetter
    public void setDiff(boolean diff) {
        this.diff = diff;
    }

    public String getLimit() {
        return limit;
    }

    @DataBoundSetter
    public void setLimit(String limit) {
        this.limit = blankToNull(limit);
    }

    public String getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(String tags) {
        this.tags = blankToNull(tags);
    }

    public int getForks() {
        return forks;
    }

    @DataBoundSetter
    public void setForks(int forks) {
        this.forks = forks;
    }

    public String getExtraVars() {
        return extraVars;
    }

    @DataBoundSetter
    public void setExtraVars(String extraVars) {
        this.extraVars = blankToNull(extraVars);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueProvisionStep step;
        private final transient StepContext context;

        Execution(CatalogueProvisionStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            step.requireEnv("catalogueProvision env: 'staging'");
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The provision, on the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final boolean check;
        private final boolean diff;
        private final String limit;
        private final String tags;
        private final int forks;
        private final String extraVars;

        Work(OpsStep.Launch launch, CatalogueProvisionStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.check = step.check;
            this.diff = step.diff;
            this.limit = step.limit;
            this.tags = step.tags;
            this.forks = step.forks;
            this.extraVars = step.extraVars;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                ProvisionCommand provision = ops.opsWithSecretsMasked(env, extraVars).provision(env)
                        .check(check).forks(forks).limit(split(limit).toArray(String[]::new))
                        .tags(split(tags).toArray(String[]::new));
                List<String> hosts = provision.hosts();
                ops.log().println((check ? "checking" : "provisioning") + " " + env + " (" + String.join(", ", hosts) + ")");
                PlayRecap recap = provision.listener(ConsoleReport.progress(ops.log(), diff)).call();
                ConsoleReport.recap(ops.log(), recap);
                Map<String, Object> summary = new LinkedHashMap<>(ConsoleReport.summary(recap, check));
                if (!recap.succeeded()) {
                    throw ops.failure("catalogueProvision " + env + " failed: " + String.join("; ",
                            ((List<?>) summary.get("failures")).stream().map(String::valueOf).toList()));
                }
                return summary;
            } catch (OpsException e) {
                throw ops.failure("catalogueProvision " + env + ": " + e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueProvision";
        }

        @Override
        public String getDisplayName() {
            return "Provision a catalogue environment's hosts (catalogue-ops provision)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
