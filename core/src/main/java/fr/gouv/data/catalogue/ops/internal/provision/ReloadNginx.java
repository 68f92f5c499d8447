package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Service;

/** nginx's reload, or its start when it does not run yet. */
final class ReloadNginx {
    private ReloadNginx() {
    }

    static Command command(HostContext host) throws OpsException {
        return Service.init(host) == Service.Init.SYSTEMD ? Command.of("systemctl", "reload-or-restart", "nginx")
                : Command.of("sh", "-c", "service nginx status >/dev/null 2>&1 && service nginx reload || service nginx start");
    }
}
