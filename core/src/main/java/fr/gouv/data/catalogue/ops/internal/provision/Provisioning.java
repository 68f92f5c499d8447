package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.access.HostAccess;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.internal.task.EarlyConnector;
import fr.gouv.data.catalogue.ops.internal.task.Play;
import fr.gouv.data.catalogue.ops.internal.task.PlayRunner;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Provisioning an environment's web hosts, as the command line and the Jenkins step both run it:
 * the request checked against the environment, the hosts' connections (started early, so that
 * the SSH handshakes overlap building the play), then the play.
 */
public final class Provisioning {
    /** What to run: check mode, how many hosts at once, which hosts ({@code limit}) and tasks ({@code tags}); empty sets mean all. */
    public record Request(boolean check, int forks, Set<String> limit, Set<String> tags) {
        public Request {
            limit = Set.copyOf(limit);
            tags = Set.copyOf(tags);
        }
    }

    private Provisioning() {
    }

    /**
     * The hosts a request runs on, or a one-line error for an unknown host, tag or a bad forks count.
     */
    public static List<String> hosts(Environment env, Request request) throws ConfigException {
        if (request.forks() < 1) {
            throw new BadOptionException("forks", "must be at least 1 (got " + request.forks() + ")");
        }
        Set<String> known = new LinkedHashSet<>(env.webHosts());
        for (String h : request.limit()) {
            if (!known.contains(h)) {
                throw new BadOptionException("limit", h + ": no such host in " + env.name() + "; hosts: " + String.join(", ", known));
            }
        }
        for (String t : request.tags()) {
            if (!ProvisionRecipe.TAGS.contains(t)) {
                throw new BadOptionException("tags", t + ": unknown tag; tags: " + String.join(", ", ProvisionRecipe.TAGS));
            }
        }
        return known.stream().filter(h -> request.limit().isEmpty() || request.limit().contains(h)).toList();
    }

    /**
     * Runs the provision play, reaching the hosts as {@code access} says.
     */
    public static PlayRecap run(Environment env, Path opsDir, Request request, HostAccess access,
                                RunListener listener) throws OpsException, InterruptedException {
        hosts(env, request);
        env.prefetchSecrets();
        List<PlayRunner.Target> targets = new ArrayList<>();
        List<EarlyConnector> early = new ArrayList<>();
        try {
            for (String host : env.webHosts()) {
                HostVariables vars = env.variables(host);
                ConnectionSettings s = access.settings(env, vars);
                PlayRunner.Connector connector = () -> SshRemote.connect(s);
                if ((request.limit().isEmpty() || request.limit().contains(host)) && early.size() < request.forks()) {
                    EarlyConnector e = EarlyConnector.start(connector);
                    early.add(e);
                    connector = e;
                }
                targets.add(new PlayRunner.Target(host, connector, s.become() ? s.becomeUser() : null, vars));
            }
            Play play = ProvisionRecipe.play(new Templates(opsDir));
            return PlayRunner.run(play, targets, new PlayRunner.Options(request.check(), request.forks(), 0, request.limit(),
                    request.tags()), listener);
        } finally {
            early.forEach(EarlyConnector::close);
        }
    }
}
