package fr.gouv.data.catalogue.ops.api;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.access.HostAccess;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.HostKeyScan;
import fr.gouv.data.catalogue.ops.internal.remote.HostKeys;
import fr.gouv.data.catalogue.ops.report.HostKeyTrust;
import fr.gouv.data.catalogue.ops.report.TrustResult;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the host key of every web host of an environment and records the unknown ones in the
 * environment's {@code known_hosts}. A changed key is never replaced. Made by
 * {@link CatalogueOps#trustHosts(String)}.
 */
public final class TrustHostsCommand {
    private final CatalogueOps ops;
    private final String environment;

    TrustHostsCommand(CatalogueOps ops, String environment) {
        this.ops = ops;
        this.environment = environment;
    }

    /**
     * Scans every host's key and records the unknown ones.
     *
     * @return every host's key and what was done with it
     * @throws OpsException an unknown environment, a host that cannot be reached, known_hosts not writable
     */
    public TrustResult call() throws OpsException {
        Environment env = ops.load(environment);
        Path file = HostAccess.knownHosts(env);
        List<HostKeyTrust> found = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (ConnectionSettings s : ops.access().webHosts(env)) {
            PublicKey key = HostKeyScan.scan(s);
            HostKeys check = new HostKeys(List.of(file));
            check.verify(s.address(), s.port(), key);
            HostKeyTrust.Outcome outcome = switch (check.outcome()) {
                case MATCH -> HostKeyTrust.Outcome.ALREADY_TRUSTED;
                case CHANGED -> HostKeyTrust.Outcome.CHANGED;
                default -> HostKeyTrust.Outcome.RECORDED;
            };
            if (outcome == HostKeyTrust.Outcome.RECORDED) {
                lines.add(HostKeys.knownHostsLine(s.address(), s.port(), key));
            }
            found.add(new HostKeyTrust(s.host(), HostKeys.fingerprint(key), outcome));
        }
        if (!lines.isEmpty()) {
            try {
                HostKeys.record(file, lines);
            } catch (IOException e) {
                throw new OpsException("cannot write " + file + ": " + e.getMessage());
            }
        }
        return new TrustResult(file, found);
    }
}
