package fr.gouv.data.catalogue.ops.jenkins;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import fr.gouv.data.catalogue.ops.api.StagingCommands;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.report.StagingSyncReport;
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
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code catalogueStaging action: 'merge', branch: 'feature/x'} or {@code catalogueStaging action:
 * 'sync'}: the staging workflow on a private copy of the workspace's clone ({@code repo}), pushed
 * to the remote unless {@code push: false}. The workspace itself is left as it is. HTTPS remotes
 * take a token from {@code gitCredentialsId} (secret text); SSH remotes the controller's own SSH setup.
 */
public final class CatalogueStagingStep extends OpsStep {
    static final Set<String> ACTIONS = Set.of("merge", "sync");
    private final String action;
    private String branch;
    private String from = "master";
    private String repo = ".";
    private String remote = StagingCommands.DEFAULT_REMOTE;
    private boolean push = true;
    private String gitCredentialsId;
    private String gitUser;

    @DataBoundConstructor
    public CatalogueStagingStep(String action) {
        this.action = action;
    }

    public String getAction() {
        return action;
    }

    public String getBranch() {
        return branch;
    }

    /** merge: the branch to merge into staging. */
    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = blankToNull(branch);
    }

    public String getFrom() {
        return from;
    }

    /** sync: the branch staging is recreated from (default master). */
    @DataBoundSetter
    public void setFrom(String from) {
        this.from = blankToNull(from) == null ? "master" : from.strip();
    }

    public String getRepo() {
        return repo;
    }

    @DataBoundSetter
    public void setRepo(String repo) {
        this.repo = blankToNull(repo) == null ? "." : repo.strip();
    }

    public String getRemote() {
        return remote;
    }

    @DataBoundSetter
    public void setRemote(String remote) {
        this.remote = blankToNull(remote) == null ? StagingCommands.DEFAULT_REMOTE : remote.strip();
    }

    public boolean isPush() {
        return push;
    }

    @DataBoundSetter
    public void setPush(boolean push) {
        this.push = push;
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = blankToNull(gitCredentialsId);
    }

    public String getGitUser() {
        return gitUser;
    }

    @DataBoundSetter
    public void setGitUser(String gitUser) {
        this.gitUser = blankToNull(gitUser);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient CatalogueStagingStep step;
        private final transient StepContext context;

        Execution(CatalogueStagingStep step, StepContext context) {
            super(context);
            this.step = step;
            this.context = context;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            if (step.action == null || !ACTIONS.contains(step.action)) {
                throw new AbortException("catalogueStaging: action must be 'merge' or 'sync' (got " + step.action + ")");
            }
            if (step.action.equals("merge") && step.branch == null) {
                throw new AbortException("catalogueStaging: action 'merge' needs branch, e.g. catalogueStaging action: 'merge',"
                        + " branch: 'feature/x'");
            }
            return OpsStep.act(context, work());
        }

        Work work() throws IOException, InterruptedException {
            return new Work(step.launch(context, step.gitCredentialsId), step);
        }
    }

    /** The staging operation, on a private copy of the clone, on the node that holds the workspace. */
    static final class Work extends OpsWork<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final String action;
        private final String branch;
        private final String from;
        private final String remote;
        private final boolean push;
        private final String gitUser;

        Work(OpsStep.Launch launch, CatalogueStagingStep step) {
            super(launch, step.repo, "repo");
            this.action = step.action;
            this.branch = step.branch;
            this.from = step.from;
            this.remote = step.remote;
            this.push = step.push;
            this.gitUser = step.gitUser;
        }

        @Override
        protected Map<String, Object> work(OpsRun ops) throws IOException, InterruptedException {
            StagingCommands staging = CatalogueOps.open(ops.opsDir()).environmentVariables(Map.of())
                    .staging(ops.opsDir()).remote(remote);
            if (ops.gitToken() != null) {
                staging.gitToken(ops.gitToken());
            }
            if (gitUser != null) {
                staging.gitUser(gitUser);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("action", action);
            try {
                List<String> lines;
                if (action.equals("merge")) {
                    StagingMergeReport r = staging.merge().branch(branch).push(push).call();
                    lines = r.lines(remote, push, "not pushed (push: false): nothing changed on " + remote);
                    result.put("branch", r.branch());
                    result.put("kind", r.kind().name().toLowerCase());
                    result.put("before", r.before().id());
                    result.put("after", r.after().id());
                    result.put("pushed", r.pushed());
                } else {
                    StagingSyncReport r = staging.sync().from(from).push(push).call();
                    lines = r.lines(remote, push, "merge them again with catalogueStaging action: 'merge'",
                            "not pushed (push: false): nothing changed on " + remote);
                    result.put("from", r.from());
                    result.put("base", r.base().id());
                    result.put("lost_commits", new ArrayList<>(r.lostCommits().stream().map(String::valueOf).toList()));
                    result.put("lost_branches", new ArrayList<>(r.lostBranches()));
                    result.put("pushed", r.pushed());
                }
                lines.forEach(ops.log()::println);
                return result;
            } catch (OpsException e) {
                throw ops.failure("catalogueStaging " + action + ": " + e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "catalogueStaging";
        }

        @Override
        public String getDisplayName() {
            return "Merge a branch into staging, or recreate staging from master";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class, FilePath.class);
        }
    }
}
