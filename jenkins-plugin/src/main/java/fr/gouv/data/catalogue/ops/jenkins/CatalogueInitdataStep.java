package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.nio.file.Path;
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
 * {@code catalogueInitdata env: 'staging'}: {@code catalogue-ops initdata} in a Pipeline, on the node
 * that holds the workspace: the environment's initial data ({@code initdata_src}, or {@code file})
 * loaded with the app's tool in the live release of the first web host (every web host with
 * {@code allHosts: true}), its output streamed to the build log (masked). Returns the same map as
 * {@code catalogueRun}; fails the step when the tool failed, naming the host and its exit code.
 */
public final class CatalogueInitdataStep extends EnvironmentStep {
    private String file;
    private boolean allHosts;
    private int wait;

    @DataBoundConstructor
    public CatalogueInitdataStep(String env) {
        super(env);
    }

    public String getFile() {
        return file;
    }

    @DataBoundSetter
    public void setFile(String file) {
        this.file = blankToNull(file);
    }

    public boolean isAllHosts() {
        return allHosts;
    }

    @DataBoundSetter
    public void setAllHosts(boolean allHosts) {
        this.allHosts = allHosts;
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
        private final transient CatalogueInitdataStep step;
        private final transient StepContext context;

        Execution(CatalogueInitdataStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            step.requireEnv("catalogueInitdata env: 'staging'");
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The initial data's loading, from the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final String file;
        private final boolean allHosts;
        private final int wait;

        Work(OpsStep.Launch launch, CatalogueInitdataStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.file = step.file;
            this.allHosts = step.allHosts;
            this.wait = step.wait;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                ops.log().println("loading the initial data of " + env + (file == null ? "" : " from " + file)
                        + (allHosts ? " on every web host" : ""));
                ToolRunReport report = ops.opsWithSecretsMasked(env, null).initdata(env).file(file == null ? null : Path.of(file))
                        .allHosts(allHosts).waitForLock(wait > 0 ? Duration.ofSeconds(wait) : null)
                        .output(CatalogueRunStep.stream(ops.log(), allHosts)).call();
                CatalogueRunStep.recap(ops.log(), report);
                if (!report.succeeded()) {
                    throw ops.failure("catalogueInitdata " + env + " " + CatalogueRunStep.failed(report));
                }
                return CatalogueRunStep.result(report);
            } catch (OpsException e) {
                throw ops.failure("catalogueInitdata " + env + ": " + e.getMessage());
            } catch (InterruptedException e) {
                throw ops.aborted(e);
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueInitdata";
        }

        @Override
        public String getDisplayName() {
            return "Load a catalogue environment's initial data with the app's tool (catalogue-ops initdata)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
