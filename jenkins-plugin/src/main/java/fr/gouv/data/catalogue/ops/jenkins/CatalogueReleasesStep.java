package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.report.ReleaseInfo;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
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

/**
 * {@code catalogueReleases env: 'prod'}: the releases on the environment's web hosts, newest
 * first per host, as a list of maps ({@code host}, {@code release}, {@code commit}, {@code ref},
 * {@code deployedBy}, {@code from}, {@code at}, {@code state}, {@code side}, {@code live}).
 */
public final class CatalogueReleasesStep extends EnvironmentStep {

    @DataBoundConstructor
    public CatalogueReleasesStep(String env) {
        super(env);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, Object>>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueReleasesStep step;
        private final transient StepContext context;

        Execution(CatalogueReleasesStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected List<Map<String, Object>> run() throws Exception {
            step.requireEnv("catalogueReleases env: 'prod'");
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The listing, from the node that holds the workspace. */
    static final class Work extends OpsWork<List<Map<String, Object>>> {
        private static final long serialVersionUID = 1L;
        private final String env;

        Work(OpsStep.Launch launch, CatalogueReleasesStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
        }

        @Override
        protected List<Map<String, Object>> work(OpsRun ops) throws IOException {
            try {
                List<Map<String, Object>> all = new ArrayList<>();
                for (ReleaseInfo r : ops.opsWithSecretsMasked(env, null).releases(env)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", r.host());
                    m.put("release", r.id());
                    m.put("commit", r.commit());
                    m.put("ref", r.ref());
                    m.put("deployedBy", r.deployedBy());
                    m.put("from", r.from());
                    m.put("at", r.at());
                    m.put("state", r.state());
                    m.put("side", r.side());
                    m.put("live", r.live());
                    all.add(m);
                }
                return all;
            } catch (OpsException e) {
                throw ops.failure("catalogueReleases " + env + ": " + e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueReleases";
        }

        @Override
        public String getDisplayName() {
            return "List the releases on a catalogue environment's web hosts (catalogue-ops releases)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
