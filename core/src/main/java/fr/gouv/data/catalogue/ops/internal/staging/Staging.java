package fr.gouv.data.catalogue.ops.internal.staging;

import fr.gouv.data.catalogue.ops.StagingException;
import fr.gouv.data.catalogue.ops.report.CommitSummary;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * The staging branch workflow of the operations guide, on a local clone:
 * {@link #merge()} adds a branch to {@code staging}, {@link #sync()} recreates {@code staging}
 * from {@code master}. Created with {@link #open(Path, Map)}; closed after use.
 *
 * <p>Merges are computed in memory and land by moving the {@code staging} ref only (with a check
 * of its previous value), so the working tree and the current branch are never touched, and a
 * conflict changes nothing.
 */
public final class Staging implements AutoCloseable {
    public static final String DEFAULT_REMOTE = "origin";
    public static final String DEFAULT_BRANCH = "staging";

    final Git git;
    final Repository repo;
    final CredentialsProvider credentials;
    String remote = DEFAULT_REMOTE;
    String staging = DEFAULT_BRANCH;
    private TransportConfigCallback transport = t -> { };

    private Staging(Repository repo, CredentialsProvider credentials) {
        this.repo = repo;
        this.git = new Git(repo);
        this.credentials = credentials;
    }

    /** Opens the git repository holding {@code dir}; credentials for HTTPS come from {@code env}. */
    public static Staging open(Path dir, Map<String, String> env) throws OpsException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            throw new ConfigException(dir + " is not inside a git repository; run from your clone or pass --repo DIR");
        }
        try {
            Repository repo = builder.setMustExist(true).build();
            if (repo.isBare()) {
                repo.close();
                throw new ConfigException(builder.getGitDir() + " is a bare repository; staging works in a clone");
            }
            return new Staging(repo, GitCredentials.fromEnvironment(env));
        } catch (IOException e) {
            throw new StagingException("cannot open the git repository at " + builder.getGitDir() + ": " + e.getMessage());
        }
    }

    /** Uses another remote than {@code origin}. */
    public Staging remote(String name) {
        this.remote = name;
        return this;
    }

    /**
     * Takes SSH keys, {@code known_hosts} and {@code config} from this folder instead of
     * {@code ~/.ssh} (for instance a CI job's key); host keys are still verified.
     */
    public Staging sshDirectory(Path sshDir) {
        SshdSessionFactory factory = new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshDir.toAbsolutePath().getParent().toFile())
                .setSshDirectory(sshDir.toAbsolutePath().toFile())
                .build(null);
        this.transport = t -> {
            if (t instanceof SshTransport ssh) {
                ssh.setSshSessionFactory(factory);
            }
        };
        return this;
    }

    /** Uses another branch name than {@code staging}. */
    public Staging stagingBranch(String name) {
        this.staging = name;
        return this;
    }

    public StagingMerge merge() {
        return new StagingMerge(this);
    }

    public StagingSync sync() {
        return new StagingSync(this);
    }

    public File workTree() {
        return repo.getWorkTree();
    }

    @Override
    public void close() {
        git.close();
        repo.close();
    }

    // --- shared steps -------------------------------------------------------------------------

    void requireRemote() throws ConfigException {
        if (!repo.getRemoteNames().contains(remote)) {
            throw new ConfigException("this repository has no remote '" + remote + "' (remotes: "
                    + (repo.getRemoteNames().isEmpty() ? "none" : String.join(", ", repo.getRemoteNames()))
                    + "); add it with git remote add " + remote + " URL, or pass --remote NAME");
        }
    }

    void fetch() throws OpsException {
        requireRemote();
        try {
            git.fetch().setRemote(remote).setRemoveDeletedRefs(true).setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transport).call();
        } catch (TransportException e) {
            throw new StagingException("cannot fetch " + remote + ": " + oneLine(e) + "; check your network and"
                    + " credentials (SSH keys or agent; " + GitCredentials.TOKEN_VARIABLE + " for HTTPS)", e);
        } catch (GitAPIException e) {
            throw new StagingException("cannot fetch " + remote + ": " + oneLine(e), e);
        }
    }

    /** Refuses uncommitted changes to tracked files. */
    void requireClean() throws StagingException {
        try {
            var status = git.status().call();
            if (status.hasUncommittedChanges()) {
                List<String> changed = new java.util.ArrayList<>(status.getUncommittedChanges());
                changed.sort(null);
                throw new StagingException("the working tree has uncommitted changes (" + String.join(", ",
                        changed.subList(0, Math.min(5, changed.size()))) + (changed.size() > 5 ? ", ..." : "")
                        + "); commit or stash them first");
            }
        } catch (GitAPIException e) {
            throw new StagingException("cannot read the working tree status: " + oneLine(e), e);
        }
    }

    ObjectId resolve(String ref) throws StagingException {
        try {
            Ref r = repo.exactRef(ref);
            return r == null ? null : r.getObjectId();
        } catch (IOException e) {
            throw new StagingException("cannot read " + ref + ": " + e.getMessage(), e);
        }
    }

    String currentBranch() throws StagingException {
        try {
            Ref head = repo.exactRef(Constants.HEAD);
            return head != null && head.isSymbolic() ? Repository.shortenRefName(head.getTarget().getName()) : null;
        } catch (IOException e) {
            throw new StagingException("cannot read HEAD: " + e.getMessage(), e);
        }
    }

    /** Read with a fresh walk: a walk that marked the commit uninteresting may have dropped its message. */
    CommitSummary summary(ObjectId id) throws IOException {
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
            return summaryOf(walk.parseCommit(id));
        }
    }

    String stagingRef() {
        return Constants.R_HEADS + staging;
    }

    String remoteRef(String branch) {
        return Constants.R_REMOTES + remote + "/" + branch;
    }

    /**
     * Moves the local staging branch from {@code expected} (null: must not exist) to {@code target};
     * when staging is checked out, the (clean) working tree follows.
     */
    void moveStaging(ObjectId expected, ObjectId target, boolean force, String why) throws StagingException {
        try {
            RefUpdate update = repo.updateRef(stagingRef());
            update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
            update.setNewObjectId(target);
            update.setForceUpdate(force);
            update.setRefLogMessage("catalogue-ops: " + why, false);
            RefUpdate.Result result = update.update();
            switch (result) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> { }
                case LOCK_FAILURE -> throw new StagingException("branch " + staging + " changed while we worked"
                        + " (another git command?); nothing was changed, run again");
                default -> throw new StagingException("cannot move branch " + staging + ": " + result);
            }
            if (staging.equals(currentBranch())) {
                git.reset().setMode(ResetCommand.ResetType.HARD).setRef(target.name()).call();
            }
        } catch (IOException | GitAPIException e) {
            throw new StagingException("cannot move branch " + staging + ": " + oneLine(e), e);
        }
    }

    /** Pushes staging; with a lease, only if the remote branch is still at {@code lease}. */
    boolean push(boolean force, ObjectId lease) throws StagingException {
        RefSpec spec = new RefSpec((force ? "+" : "") + stagingRef() + ":" + stagingRef());
        try {
            var push = git.push().setRemote(remote).setRefSpecs(spec).setCredentialsProvider(credentials)
                    .setTransportConfigCallback(transport);
            if (force) {
                push.setRefLeaseSpecs(new RefLeaseSpec(stagingRef(), lease == null ? ObjectId.zeroId().name() : lease.name()));
            }
            for (PushResult result : push.call()) {
                RemoteRefUpdate update = result.getRemoteUpdate(stagingRef());
                if (update == null) {
                    continue;
                }
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                        return update.getStatus() == RemoteRefUpdate.Status.OK;
                    }
                    case REJECTED_REMOTE_CHANGED -> throw new StagingException(remote + "/" + staging + " moved since"
                            + " it was fetched (someone pushed); the local branch is ready but was not pushed."
                            + " Look at what was pushed, then run again");
                    case REJECTED_NONFASTFORWARD -> throw new StagingException(remote + "/" + staging + " has commits"
                            + " that the local branch lacks (someone pushed); run the command again");
                    default -> throw new StagingException("push of " + staging + " to " + remote + " failed: "
                            + update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
                }
            }
            throw new StagingException("push of " + staging + " to " + remote + " reported no result");
        } catch (TransportException e) {
            throw new StagingException("cannot push to " + remote + ": " + oneLine(e) + "; check your credentials"
                    + " (SSH keys or agent; " + GitCredentials.TOKEN_VARIABLE + " for HTTPS)", e);
        } catch (GitAPIException e) {
            throw new StagingException("cannot push to " + remote + ": " + oneLine(e), e);
        }
    }

    static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
    }

    static CommitSummary summaryOf(RevCommit c) {
        return new CommitSummary(c.getId().abbreviate(10).name(), c.getShortMessage());
    }
}
