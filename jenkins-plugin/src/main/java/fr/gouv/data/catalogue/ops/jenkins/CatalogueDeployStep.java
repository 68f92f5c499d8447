package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.DeployCommand;
import fr.gouv.data.catalogue.ops.internal.deploy.DeployConsole;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.time.Duration;
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
 * {@code catalogueDeploy env: 'prod', gitVersion: 'v2'}: {@code catalogue-ops deploy} in a
 * Pipeline, with the same progress and recap in the build log.
 * Returns the report as a map ({@code environment}, {@code commit}, {@code ref}, {@code check},
 * {@code succeeded}, {@code message}, {@code duration_ms}, {@code hosts} with each host's release,
 * side, steps and result). Fails the step when a host failed or was switched back.
 */
public final class CatalogueDeployStep extends OpsStep {
    private final String env;
    private String gitVersion;
    private boolean check;
    private String limit;
    private int serial;
    private int waitSeconds;
    private String extraVars;

    @DataBoundConstructor
    public CatalogueDeployStep(String env) {
        this.env = env;
    }

    public String getEnv() {
        return env;
    }

    public String getGitVersion() {
        return gitVersion;
    }

    @DataBoundSetter
    public void setGitVersion(String gitVersion) {
        this.gitVersion = blankToNull(gitVersion);
    }

    public boolean isCheck() {
        return check;
    }

    @DataBoundSetter
    public void setCheck(boolean check) {
        this.check = check;
    }

    public String getLimit() {
        return limit;
    }

    @DataBoundSetter
    public void setLimit(String limit) {
        this.limit = blankToNull(limit);
    }

    public int getSerial() {
        return serial;
    }

    @DataBoundSetter
    public void setSerial(int serial) {
        this.serial = serial;
    }

    public int getWaitSeconds() {
        return waitSeconds;
    }

    @DataBoundSetter
    public void setWaitSeconds(int waitSeconds) {
        this.waitSeconds = waitSeconds;
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
        private final transient CatalogueDeployStep step;
        private final transient StepContext context;

        Execution(CatalogueDeployStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            if (step.env == null || step.env.isBlank()) {
                throw new AbortException("catalogueDeploy: env is required, e.g. catalogueDeploy env: 'staging', gitVersion: 'v2'");
            }
            try (OpsRun ops = OpsRun.open(context, step)) {
                try {
                    return deploy(ops);
                } catch (OpsException e) {
                    throw new AbortException(ops.masked("catalogueDeploy " + step.env + ": " + e.getMessage()));
                }
            }
        }

        private Map<String, Object> deploy(OpsRun ops) throws Exception {
            DeployCommand deploy = ops.opsWithSecretsMasked(step.env, step.extraVars).deploy(step.env).gitVersion(step.gitVersion)
                    .check(step.check).serial(step.serial).limit(CatalogueProvisionStep.split(step.limit).toArray(String[]::new))
                    .waitForLock(step.waitSeconds > 0 ? Duration.ofSeconds(step.waitSeconds) : null);
            List<String> hosts = deploy.hosts();
            ops.log().println((step.check ? "checking a deploy of " : "deploying ") + step.env + " (" + String.join(", ", hosts) + ")");
            DeployReport report = deploy.listener(DeployConsole.progress(ops.log())).call();
            DeployConsole.recap(ops.log(), report);
            if (!report.succeeded()) {
                throw new AbortException(ops.masked("catalogueDeploy " + step.env + " failed: " + report.message()));
            }
            return DeployConsole.summary(report);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueDeploy";
        }

        @Override
        public String getDisplayName() {
            return "Deploy a git version to a catalogue environment with no downtime (catalogue-ops deploy)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
