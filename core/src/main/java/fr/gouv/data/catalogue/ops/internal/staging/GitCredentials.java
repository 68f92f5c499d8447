package fr.gouv.data.catalogue.ops.internal.staging;

import java.util.Map;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Credentials for fetch and push. SSH remotes use the user's own SSH setup (keys, agent,
 * config, known_hosts under ~/.ssh) through JGit's transport. HTTPS remotes take a token from
 * {@code CATALOGUE_GIT_TOKEN} (user name from {@code CATALOGUE_GIT_USER}, default
 * {@code x-access-token}, which GitHub and GitLab accept with a token).
 */
public final class GitCredentials {
    public static final String TOKEN_VARIABLE = "CATALOGUE_GIT_TOKEN";
    public static final String USER_VARIABLE = "CATALOGUE_GIT_USER";

    private GitCredentials() {
    }

    /** The provider for HTTPS remotes, or null when no token is set. */
    public static CredentialsProvider fromEnvironment(Map<String, String> env) {
        String token = env.get(TOKEN_VARIABLE);
        if (token == null || token.isBlank()) {
            return null;
        }
        String user = env.getOrDefault(USER_VARIABLE, "x-access-token");
        return new UsernamePasswordCredentialsProvider(user.isBlank() ? "x-access-token" : user, token.strip());
    }
}
