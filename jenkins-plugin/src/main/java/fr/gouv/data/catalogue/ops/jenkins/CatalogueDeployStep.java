package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.DeployCommand;
import fr.gouv.data.catalogue.ops.internal.deploy.DeployConsole;
import fr.gouv.data.catalogue.ops.report.DeployReport;
import fr.gouv.data.catalogue.ops.report.DeployStep;
import fr.gouv.data.catalogue.ops.report.HostDeploy;
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
 * {@code catalogueDeploy env: 'prod', gitVersion: 'v2'}: {@code catalogue-ops deploy} in a
 * Pipeline, run on the node that holds the workspace, with the same progress and recap in the
 * build log. Returns the report as a map (see {@link #result}). Fails the step when a host failed
 * or was switched back, the message naming the host and the step. The lock and the audit log name
 * the build (job, number, URL) and the user who started it.
 */
public final class CatalogueDeployStep extends EnvironmentStep {
    private String gitVersion;
    private boolean check;
    private String limit;
    private int serial;
    private int wait;
    private String extraVars;

    @DataBoundConstructor
    public CatalogueDeployStep(String env) {
        super(env);
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

    /** How long to wait for the deploy lock, in seconds (0: fail at once when it is held). */
    public int getWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(int wait) {
        this.wait = wait;
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

    /**
     * A deploy or rollback report as a Pipeline map: {@code environment}, {@code operation},
     * {@code check}, {@code release} (the release now live, or that would be), {@code commit},
     * {@code ref}, {@code previousRelease}, {@code hosts} (their names), {@code succeeded},
     * {@code rolledBack} (a host went back to the previous release after the switch),
     * {@code message}, {@code durationMs}, and {@code perHost}: for each host its {@code release},
     * {@code side}, {@code previousRelease}, {@code reusedVenv}, {@code reusedNodeModules},
     * {@code result}, {@code message} and {@code steps} ({@code step}, {@code status},
     * {@code message}, {@code durationMs}).
     */
    static Map<String, Object> result(DeployReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("environment", r.environment());
        doc.put("operation", r.operation());
        doc.put("check", r.check());
        HostDeploy first = r.hosts().isEmpty() ? null : r.hosts().get(0);
        doc.put("release", first == null ? "" : first.release());
        doc.put("commit", r.commit());
        doc.put("ref", r.ref());
        doc.put("previousRelease", first == null ? "" : first.previousRelease());
        doc.put("hosts", new ArrayList<>(r.hosts().stream().map(HostDeploy::host).toList()));
        doc.put("succeeded", r.succeeded());
        doc.put("rolledBack", r.hosts().stream().anyMatch(h -> h.result().equals("switched back")));
        doc.put("message", r.message());
        doc.put("durationMs", r.duration().toMillis());
        Map<String, Object> perHost = new LinkedHashMap<>();
        for (HostDeploy h : r.hosts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("release", h.release());
            m.put("side", h.side());
            m.put("previousRelease", h.previousRelease());
            m.put("reusedVenv", h.reusedVenv());
            m.put("reusedNodeModules", h.reusedNodeModules());
            m.put("result", h.result());
            m.put("message", h.message());
            List<Map<String, Object>> steps = new ArrayList<>();
            for (DeployStep s : h.steps()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("step", s.step());
                sm.put("status", s.status());
                sm.put("message", s.message());
                sm.put("durationMs", s.duration().toMillis());
                steps.add(sm);
            }
            m.put("steps", steps);
            perHost.put(h.host(), m);
        }
        doc.put("perHost", perHost);
        return doc;
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
            step.requireEnv("catalogueDeploy env: 'staging', gitVersion: 'v2'");
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, null), step);
        }
    }

    /** The deploy, from the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String env;
        private final String gitVersion;
        private final boolean check;
        private final String limit;
        private final int serial;
        private final int wait;
        private final String extraVars;

        Work(OpsStep.Launch launch, CatalogueDeployStep step) {
            super(launch, step.getOpsDir(), "opsDir");
            this.env = step.getEnv();
            this.gitVersion = step.gitVersion;
            this.check = step.check;
            this.limit = step.limit;
            this.serial = step.serial;
            this.wait = step.wait;
            this.extraVars = step.extraVars;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            try {
                DeployCommand deploy = ops.opsWithSecretsMasked(env, extraVars).deploy(env).gitVersion(gitVersion)
                        .check(check).serial(serial).limit(split(limit).toArray(String[]::new))
                        .waitForLock(wait > 0 ? Duration.ofSeconds(wait) : null);
                List<String> hosts = deploy.hosts();
                ops.log().println((check ? "checking a deploy of " : "deploying ") + env + " (" + String.join(", ", hosts) + ")");
                DeployReport report = deploy.listener(DeployConsole.progress(ops.log())).call();
                DeployConsole.recap(ops.log(), report);
                if (!report.succeeded()) {
                    throw ops.failure("catalogueDeploy " + env + " failed: " + report.message());
                }
                return result(report);
            } catch (OpsException e) {
                throw ops.failure("catalogueDeploy " + env + ": " + e.getMessage());
            } catch (InterruptedException e) {
                throw ops.aborted(e);
            }
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
