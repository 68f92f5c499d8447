package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.RollbackCommand;
import fr.gouv.data.catalogue.ops.internal.deploy.DeployConsole;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code catalogueRollback env: 'prod'} or {@code catalogueRollback env: 'prod', to: '20250101120000-1a2b3c4'}:
 * {@code catalogue-ops rollback} in a Pipeline, on the node that holds the workspace. Returns the
 * same map as {@code catalogueDeploy}; fails the step when a host could not be switched.
 */
public final class CatalogueRollbackStep extends EnvironmentStep {
    private String to;
    private String limit;
    private int wait;

    @DataBoundConstructor
    public CatalogueRollbackStep(String env) {
        super(env);
    }

    public String getTo() {
        return to;
    }

    @DataBoundSetter
    public void setTo(String to) {
        this.to = blankToNull(to);
    }

    public String getLimit() {
        return limit;
    }

    @DataBoundSetter
    public void setLimit(String limit) {
        this.limit = blankToNull(limit);
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

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueRollbackStep step;
        private final transient StepContext context;

        Execution(CatalogueRollbackStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            step.requireEnv("catalogueRollback env: 'prod'");
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The rollback, from the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final String to;
        private final String limit;
        private final int wait;

        Work(OpsStep.Launch launch, CatalogueRollbackStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.to = step.to;
            this.limit = step.limit;
            this.wait = step.wait;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                RollbackCommand rollback = ops.opsWithSecretsMasked(env, null).rollback(env).to(to)
                        .limit(split(limit).toArray(String[]::new))
                        .waitForLock(wait > 0 ? Duration.ofSeconds(wait) : null);
                ops.log().println("rolling back " + env + (to == null ? " to the previous release" : " to " + to));
                DeployReport report = rollback.listener(DeployConsole.progress(ops.log())).call();
                DeployConsole.recap(ops.log(), report);
                if (!report.succeeded()) {
                    throw ops.failure("catalogueRollback " + env + " failed: " + report.message());
                }
                return CatalogueDeployStep.result(report);
            } catch (OpsException e) {
                throw ops.failure("catalogueRollback " + env + ": " + e.getMessage());
            } catch (InterruptedException e) {
                throw ops.aborted(e);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueRollback";
        }

        @Override
        public String getDisplayName() {
            return "Switch a catalogue environment back to a previous release (catalogue-ops rollback)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
