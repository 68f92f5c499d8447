package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code catalogueEnvironments()} or {@code catalogueEnvironments(opsDir: 'deploy/ansible')}: the
 * environments of the workspace's ops folder, sorted, for a choice parameter. Needs no secret.
 */
public final class CatalogueEnvironmentsStep extends OpsStep {
    @DataBoundConstructor
    public CatalogueEnvironmentsStep() {
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<List<String>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueEnvironmentsStep step;
        private final transient StepContext context;

        Execution(CatalogueEnvironmentsStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected List<String> run() throws Exception {
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The listing, on the node that holds the workspace. */
    static final class Work extends OpsWork<List<String>> {
        private static final long serialVersionUID = 1L;

        Work(OpsStep.Launch launch, CatalogueEnvironmentsStep step) {
            super(launch, step.getOpsDir(), "opsDir");
        }

        @Override
        protected List<String> work(OpsRun ops) throws IOException {
            try {
                return new ArrayList<>(ops.ops(null).environments());
            } catch (OpsException e) {
                throw ops.failure("catalogueEnvironments: " + e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueEnvironments";
        }

        @Override
        public String getDisplayName() {
            return "List the catalogue environments of the ops folder";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
