package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.StagingException;
import fr.gouv.data.catalogue.ops.internal.staging.GitCredentials;
import fr.gouv.data.catalogue.ops.internal.staging.Staging;
import fr.gouv.data.catalogue.ops.report.StagingMergeReport;
import fr.gouv.data.catalogue.ops.report.StagingSyncReport;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The staging branch workflow on one git clone: {@link #merge()} a branch into staging, or
 * {@link #sync()} staging from master. Your working tree and current branch are never touched;
 * a refused operation changes nothing. Made by {@link CatalogueOps#staging(Path)}.
 */
public final class StagingCommands {
    /** The remote used unless told otherwise. */
    public static final String DEFAULT_REMOTE = "origin";

    private final Path repository;
    private final Map<String, String> environmentVariables;
    private String remote = DEFAULT_REMOTE;
    private Path sshDirectory;

    StagingCommands(Path repository, Map<String, String> environmentVariables) {
        this.repository = repository;
        this.environmentVariables = new HashMap<>(environmentVariables);
    }

    /**
     * The token for an HTTPS remote (instead of {@code CATALOGUE_GIT_TOKEN}).
     *
     * @param token the token
     * @return this
     */
    public StagingCommands gitToken(String token) {
        environmentVariables.put(GitCredentials.TOKEN_VARIABLE, token);
        return this;
    }

    /**
     * The user name sent with the token (instead of {@code CATALOGUE_GIT_USER}; default {@code x-access-token}).
     *
     * @param user the user name
     * @return this
     */
    public StagingCommands gitUser(String user) {
        environmentVariables.put(GitCredentials.USER_VARIABLE, user);
        return this;
    }

    /**
     * The remote (default {@code origin}).
     *
     * @param name the remote's name
     * @return this
     */
    public StagingCommands remote(String name) {
        this.remote = name;
        return this;
    }

    /**
     * SSH keys, known_hosts and config for the remote (default: {@code ~/.ssh} and the SSH agent).
     *
     * @param dir the folder
     * @return this
     */
    public StagingCommands sshDirectory(Path dir) {
        this.sshDirectory = dir;
        return this;
    }

    /**
     * Merging a branch into staging.
     *
     * @return the command
     */
    public Merge merge() {
        return new Merge();
    }

    /**
     * Recreating staging from another branch.
     *
     * @return the command
     */
    public Sync sync() {
        return new Sync();
    }

    private Staging open() throws OpsException {
        Staging staging = Staging.open(repository, environmentVariables).remote(remote);
        return sshDirectory == null ? staging : staging.sshDirectory(sshDirectory);
    }

    /** Fetch, bring staging up to date (fast-forward only), merge the branch, optionally push. */
    public final class Merge {
        private String branch;
        private boolean push;

        private Merge() {
        }

        /**
         * The branch to merge.
         *
         * @param name a local branch (default: the current one)
         * @return this
         */
        public Merge branch(String name) {
            this.branch = name;
            return this;
        }

        /**
         * Push staging afterwards.
         *
         * @param push whether to push
         * @return this
         */
        public Merge push(boolean push) {
            this.push = push;
            return this;
        }

        /**
         * Runs the merge.
         *
         * @return what happened
         * @throws StagingException refused (dirty tree, conflict, rewritten commits) or failed; nothing changed
         * @throws fr.gouv.data.catalogue.ops.ConfigException no repository, an unknown remote or branch, a detached HEAD
         */
        public StagingMergeReport call() throws OpsException {
            try (Staging staging = open()) {
                return staging.merge().branch(branch).push(push).call();
            }
        }
    }

    /** Recreate staging from a branch of the remote, listing what staging loses; a push is forced with a lease. */
    public final class Sync {
        private String from = "master";
        private boolean push;

        private Sync() {
        }

        /**
         * The branch of the remote to recreate staging from.
         *
         * @param branch the branch (default {@code master})
         * @return this
         */
        public Sync from(String branch) {
            this.from = branch;
            return this;
        }

        /**
         * Force-push staging afterwards, with a lease (refused if the remote moved since the fetch).
         *
         * @param push whether to push
         * @return this
         */
        public Sync push(boolean push) {
            this.push = push;
            return this;
        }

        /**
         * Runs the sync.
         *
         * @return what happened and what staging lost
         * @throws StagingException refused or failed; nothing changed
         * @throws fr.gouv.data.catalogue.ops.ConfigException no repository, an unknown remote or branch
         */
        public StagingSyncReport call() throws OpsException {
            try (Staging staging = open()) {
                return staging.sync().from(from).push(push).call();
            }
        }
    }
}
