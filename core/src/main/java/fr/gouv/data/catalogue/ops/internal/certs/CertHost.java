package fr.gouv.data.catalogue.ops.internal.certs;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.CertificateInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One web host while its certificates are worked on: its connection, and root through sudo when the login is not root. */
final class CertHost implements AutoCloseable {
    final String name;
    final HostVariables vars;
    private final Remote remote;
    private final String rootVia;

    /** What one round trip read: the host's clock, its reissue records, its certificates. */
    record State(Instant now, String records, List<CertificateInfo> certificates) {
        Optional<CertificateInfo> named(String certName) {
            return certificates.stream().filter(c -> c.name().equals(certName)).findFirst();
        }
    }

    CertHost(String name, HostVariables vars, Remote remote, String rootVia) {
        this.name = name;
        this.vars = vars;
        this.remote = remote;
        this.rootVia = rootVia;
    }

    ExecResult asRoot(Command c) throws OpsException {
        return remote.exec(rootVia == null ? c : c.become(rootVia));
    }

    /** As {@link #asRoot}; a non-zero exit fails, naming what was done and the end of its output. */
    String rootOk(Command c, String what) throws OpsException {
        ExecResult r = asRoot(c);
        if (!r.ok()) {
            throw new OpsException(name + ": " + what + " failed (exit " + r.exitCode() + "): " + tail(r));
        }
        return r.stdout();
    }

    /** The host's clock: the reissue records are in its time. */
    Instant clock() throws OpsException {
        String out = rootOk(Command.of("date", "+%s"), "reading the clock").strip();
        try {
            return Instant.ofEpochSecond(Long.parseLong(out));
        } catch (NumberFormatException e) {
            throw new OpsException(name + ": cannot read the host's clock: " + out);
        }
    }

    State state() throws OpsException {
        ExecResult r = asRoot(Certbot.state());
        return parseState(name, r);
    }

    static State parseState(String host, ExecResult r) throws OpsException {
        String out = r.stdout();
        int records = out.indexOf(Certbot.RECORDS_MARK + "\n");
        int certbot = out.indexOf(Certbot.CERTBOT_MARK + "\n");
        if (records < 0 || certbot < records) {
            throw new OpsException(host + ": cannot read the host's certificates (exit " + r.exitCode() + "): " + tail(r));
        }
        String listing = out.substring(certbot + Certbot.CERTBOT_MARK.length() + 1);
        if (!r.ok()) {
            String why = r.exitCode() == 127 ? "certbot is not installed; run catalogue-ops provision first"
                    : "certbot certificates failed (exit " + r.exitCode() + "): " + lastLines(listing + r.stderr());
            throw new OpsException(host + ": " + why);
        }
        Instant now;
        try {
            now = Instant.ofEpochSecond(Long.parseLong(out.substring(0, records).strip()));
        } catch (NumberFormatException e) {
            throw new OpsException(host + ": cannot read the host's clock: " + out.substring(0, records).strip());
        }
        try {
            return new State(now, out.substring(records + Certbot.RECORDS_MARK.length() + 1, certbot),
                    CertbotListing.parse(host, listing, now));
        } catch (IllegalArgumentException e) {
            throw new OpsException(host + ": " + e.getMessage());
        }
    }

    static String tail(ExecResult r) {
        return lastLines(r.stderr().isBlank() ? r.stdout() : r.stderr());
    }

    /** The last lines of output as one line, without certbot's notice about its log. */
    static String lastLines(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.startsWith("Saving debug log to ") && !l.matches("[- ]+")).toList();
        if (lines.isEmpty()) {
            return "no output";
        }
        return String.join(" ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    @Override
    public void close() {
        remote.close();
    }
}
