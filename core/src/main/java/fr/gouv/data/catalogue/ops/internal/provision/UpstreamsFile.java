package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.deploy.Nginx;
import fr.gouv.data.catalogue.ops.internal.deploy.Side;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TaskFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The nginx upstreams the app site includes ({@code /etc/nginx/catalogue-upstreams.conf}),
 * written with {@code client_port}/{@code api_port} only when absent: once a deploy has switched
 * traffic to the other side, that file is the deploy's, and provision leaves the live side alone.
 */
final class UpstreamsFile implements Task {
    static final String PATH = Nginx.UPSTREAMS;
    private final Set<String> tags;

    UpstreamsFile(Set<String> tags) {
        this.tags = Set.copyOf(tags);
    }

    @Override
    public String name() {
        return "catalogue-upstreams.conf (the live side)";
    }

    @Override
    public Set<String> tags() {
        return tags;
    }

    @Override
    public List<String> notifies() {
        return List.of(ProvisionRecipe.RELOAD_NGINX);
    }

    private static Command probe() {
        return Command.of("sh", "-c", "if [ -e \"$1\" ]; then echo present; else echo absent; fi", "sh", PATH);
    }

    @Override
    public List<Command> probes(HostContext host) {
        return List.of(probe());
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        if (host.runOk(probe()).stdout().strip().equals("present")) {
            return Change.none();
        }
        String text = upstreams(port(host, "api_port"), port(host, "client_port"));
        return Change.of("create " + PATH + " (client_port, api_port)", h -> h.remote().upload(
                text.getBytes(StandardCharsets.UTF_8), PATH, "0644", "root:root", h.becomeUser()));
    }

    /** The text deploy writes for the blue side. */
    static String upstreams(int api, int client) {
        return Nginx.upstreams(new Side.Ports(api, client));
    }

    private static int port(HostContext host, String name) throws OpsException {
        String text = host.variables().getString(name).strip();
        if (!text.matches("[0-9]{1,5}")) {
            throw new TaskFailure(name + " must be a port number, found '" + text + "'");
        }
        return Integer.parseInt(text);
    }
}
