package fr.gouv.data.catalogue.ops.internal.certs;

import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.access.HostAccess;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.deploy.Nginx;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.environment.TemplateFilters;
import fr.gouv.data.catalogue.ops.internal.provision.Certificate;
import fr.gouv.data.catalogue.ops.internal.provision.Provisioning;
import fr.gouv.data.catalogue.ops.internal.provision.Templates;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import fr.gouv.data.catalogue.ops.report.CertRenewReport;
import fr.gouv.data.catalogue.ops.report.CertReissueReport;
import fr.gouv.data.catalogue.ops.report.CertificateInfo;
import fr.gouv.data.catalogue.ops.report.HostCertRenewal;
import fr.gouv.data.catalogue.ops.report.HostCertReissue;
import fr.gouv.data.catalogue.ops.report.HostCertificates;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The guide's certificate procedures on an environment's web hosts, with certbot: the list
 * ({@code certbot certificates}), a renewal now ({@code certbot renew}, nginx reloaded only when a
 * certificate changed), and a reissue (revoke, delete, then provisioning's own TLS tasks obtain a
 * new one through the webroot), recorded on the host and refused a second time within the hour
 * unless forced.
 */
public final class Certificates {
    /** Said before any reissue: each one counts against the ACME server's limits. */
    public static final String RATE_LIMIT_WARNING = "the ACME server limits how many certificates it issues for the same"
            + " names (Let's Encrypt: 5 per week for the same set of names, 50 per week per registered domain, see"
            + " https://letsencrypt.org/docs/rate-limits/); each reissue uses one, and a refused issuance leaves the host"
            + " without a certificate until the limit resets";

    private final Environment env;
    private final Path opsDir;
    private final HostAccess access;
    private final String user;
    private final String from;

    public Certificates(Environment env, Path opsDir, HostAccess access, Map<String, String> environment) {
        this.env = env;
        this.opsDir = opsDir;
        this.access = access;
        this.user = System.getProperty("user.name", "?");
        this.from = Deployment.origin(environment);
    }

    /**
     * The hosts a request works on: the web hosts ({@code limit} among them), each with
     * {@code tls_enabled}; else one line saying what to change.
     */
    public static List<String> hosts(Environment env, Set<String> limit) throws OpsException {
        Set<String> known = new LinkedHashSet<>(env.webHosts());
        if (known.isEmpty()) {
            throw new ConfigException(env.name() + ": no host in group [web]");
        }
        for (String h : limit) {
            if (!known.contains(h)) {
                throw new BadOptionException("limit", h + ": no such host in " + env.name() + "; hosts: " + String.join(", ", known));
            }
        }
        List<String> selected = known.stream().filter(h -> limit.isEmpty() || limit.contains(h)).toList();
        for (String h : selected) {
            HostVariables vars = env.variables(h);
            Object tls = vars.isDefined("tls_enabled") ? vars.get("tls_enabled") : null;
            if (!TemplateFilters.truth(tls)) {
                throw new ConfigException(env.name() + ": tls_enabled is false" + (known.size() > 1 ? " for " + h : "")
                        + ", so certbot manages no certificate there and nginx serves plain HTTP; to serve HTTPS, set"
                        + " tls_enabled: true in environments/" + env.name() + "/group_vars/web.yml and run catalogue-ops"
                        + " provision " + env.name());
            }
        }
        return selected;
    }

    /** Every certificate on the selected hosts, as {@code certbot certificates} lists them. */
    public List<HostCertificates> list(Set<String> limit) throws OpsException {
        List<HostCertificates> all = new ArrayList<>();
        for (String name : hosts(env, limit)) {
            try (CertHost h = open(name)) {
                all.add(new HostCertificates(name, h.state().certificates()));
            }
        }
        return all;
    }

    /** {@code certbot renew} now on each selected host; nginx reloaded (after {@code nginx -t}) where a certificate changed. */
    public CertRenewReport renew(Set<String> limit) throws OpsException {
        List<String> selected = hosts(env, limit);
        List<HostCertRenewal> results = new ArrayList<>();
        for (String name : selected) {
            try (CertHost h = open(name)) {
                results.add(renew(h, caBundle(h.vars)));
            }
        }
        return new CertRenewReport(env.name(), results);
    }

    static HostCertRenewal renew(CertHost h, String caBundle) throws OpsException {
        Map<String, String> before = serials(h.state().certificates());
        ExecResult r = h.asRoot(Certbot.renew(caBundle));
        Map<String, String> after = serials(h.state().certificates());
        List<String> renewed = after.keySet().stream().filter(n -> !after.get(n).equals(before.get(n))).toList();
        List<String> unchanged = after.keySet().stream().filter(n -> !renewed.contains(n)).toList();
        String failure = r.ok() ? "" : "certbot renew failed (exit " + r.exitCode() + "): " + CertHost.tail(r) + "; ";
        if (renewed.isEmpty()) {
            return new HostCertRenewal(h.name, renewed, unchanged, false, r.ok(), failure
                    + (after.isEmpty() ? "no certificate on the host; run catalogue-ops provision to obtain one"
                    : "nothing renewed (" + String.join(", ", unchanged) + ": not due yet); nginx not reloaded"));
        }
        ExecResult reload = h.asRoot(Nginx.testAndReload());
        if (!reload.ok()) {
            return new HostCertRenewal(h.name, renewed, unchanged, false, false, failure + "renewed " + String.join(", ", renewed)
                    + " but nginx -t refused the configuration, so nginx still serves the old certificate: "
                    + CertHost.tail(reload) + "; fix the configuration (catalogue-ops provision), then reload nginx");
        }
        return new HostCertRenewal(h.name, renewed, unchanged, true, r.ok(), failure + "renewed " + String.join(", ", renewed)
                + (unchanged.isEmpty() ? "" : " (" + String.join(", ", unchanged) + ": not due yet)") + "; nginx reloaded");
    }

    private static Map<String, String> serials(List<CertificateInfo> certificates) {
        Map<String, String> m = new LinkedHashMap<>();
        certificates.forEach(c -> m.put(c.name(), c.serial()));
        return m;
    }

    /**
     * What a reissue would do, one line per host, after checking everything it needs before any host
     * is contacted (so that no certificate is revoked that could not be obtained again).
     */
    public List<String> reissuePlan(Set<String> limit) throws OpsException {
        List<String> lines = new ArrayList<>();
        Templates templates = new Templates(opsDir);
        for (String name : hosts(env, limit)) {
            HostVariables vars = env.variables(name);
            String domain;
            try {
                domain = Certificate.checkRequest(vars);
                Templates.Template site = templates.get("catalogage.conf.j2");
                vars.render(site.text(), "template " + site.source());
            } catch (OpsException e) {
                // one line: a template error quotes the template
                throw new ConfigException(name + ": " + e.getMessage().replaceAll("\\s*\n\\s*", " ").strip());
            }
            String server = optional(vars, "acme_server");
            lines.add(name + ": revoke the certificate " + domain + ", delete it, and obtain a new one for " + domain
                    + " through the webroot from " + (server == null ? "Let's Encrypt" : server) + " (the app site is"
                    + " down while certbot works: seconds)");
        }
        return lines;
    }

    /**
     * {@link #reissue} holding the environment's deploy lock (a deploy must not switch nginx while
     * the app site is away for the new certificate), recorded in the audit log. The request is
     * checked before the lock is taken.
     */
    public CertReissueReport reissueUnderLock(Deployment deployment, Set<String> limit, boolean force, RunListener listener)
            throws OpsException, InterruptedException {
        reissuePlan(limit);
        String domain = Certificate.checkRequest(env.variables(hosts(env, limit).get(0)));
        return deployment.underLock("certs reissue", domain,
                () -> new Reissued(reissue(limit, force, listener))).report();
    }

    private record Reissued(CertReissueReport report) implements Deployment.Audited {
        @Override
        public String auditResult() {
            return report.succeeded() ? "ok" : "failed";
        }

        @Override
        public String auditMessage() {
            return String.join("; ", report.hosts().stream().map(h -> h.host() + ": " + h.message()).toList());
        }

        @Override
        public boolean succeeded() {
            return report.succeeded();
        }
    }

    /**
     * Reissues {@code domain_name}'s certificate on each selected host in turn: refused on every host
     * when one reissued it within the hour (unless {@code force}); recorded on the host before it
     * starts and when it ends; stops at the first host that fails.
     */
    public CertReissueReport reissue(Set<String> limit, boolean force, RunListener listener)
            throws OpsException, InterruptedException {
        reissuePlan(limit);
        List<String> selected = hosts(env, limit);
        Map<String, CertHost> hosts = new LinkedHashMap<>();
        try {
            Map<String, CertHost.State> states = new LinkedHashMap<>();
            List<String> refusals = new ArrayList<>();
            for (String name : selected) {
                CertHost h = open(name);
                hosts.put(name, h);
                CertHost.State s = h.state();
                states.put(name, s);
                ReissueLog.refusal(name, Certificate.checkRequest(h.vars), s.records(), s.now()).ifPresent(refusals::add);
            }
            if (!refusals.isEmpty() && !force) {
                throw new OpsException(refusals.get(0) + (refusals.size() > 1 ? " (and on " + (refusals.size() - 1)
                        + " more host" + (refusals.size() > 2 ? "s" : "") + ")" : "") + "; nothing was changed");
            }
            List<HostCertReissue> results = new ArrayList<>();
            for (String name : selected) {
                HostCertReissue r = reissue(hosts.get(name), states.get(name), listener);
                results.add(r);
                if (!r.succeeded()) {
                    break;
                }
            }
            return new CertReissueReport(env.name(), force, results);
        } finally {
            hosts.values().forEach(CertHost::close);
        }
    }

    private HostCertReissue reissue(CertHost h, CertHost.State state, RunListener listener)
            throws OpsException, InterruptedException {
        String domain = Certificate.checkRequest(h.vars);
        Optional<CertificateInfo> previous = state.named(domain);
        String previousSerial = previous.map(CertificateInfo::serial).orElse("");
        h.rootOk(Certbot.record(ReissueLog.line(new ReissueLog.Entry(domain, state.now(), user, from, "started"))),
                "recording the reissue");
        boolean revoked = false;
        try {
            if (previous.isPresent()) {
                if (!previous.get().status().contains("REVOKED")) {
                    h.rootOk(Certbot.revoke(domain, optional(h.vars, "acme_server"), caBundle(h.vars)), "certbot revoke");
                    revoked = true;
                }
                h.rootOk(Certbot.delete(domain), "certbot delete");
            }
        } catch (OpsException e) {
            record(h, domain, "failed");
            return new HostCertReissue(h.name, domain, previousSerial, "", revoked, false, e.getMessage()
                    + (revoked ? "; the certificate is revoked but still on disk: run catalogue-ops certs reissue again"
                    + " with --force" : "; nothing was changed"));
        }
        PlayRecap recap;
        try {
            recap = Provisioning.run(env, opsDir, new Provisioning.Request(false, 1, Set.of(h.name), Set.of("tls")), access,
                    listener);
        } catch (OpsException | InterruptedException | RuntimeException e) {
            // the attempt counts against the ACME server's limits whatever stopped it
            try {
                record(h, domain, "failed");
            } catch (OpsException | RuntimeException recording) {
                e.addSuppressed(recording);
            }
            throw e;
        }
        Optional<CertificateInfo> issued = h.state().named(domain);
        if (!recap.succeeded() || issued.isEmpty()) {
            record(h, domain, "failed");
            String why = recap.results().stream().filter(t -> t.status() == TaskStatus.FAILED).map(TaskResult::message)
                    .findFirst().orElse("no certificate named " + domain + " after certbot ran");
            return new HostCertReissue(h.name, domain, previousSerial, "", revoked, false, h.name + ": " + why
                    + "; once fixed, run catalogue-ops provision " + env.name() + " to obtain the certificate");
        }
        record(h, domain, "issued");
        String serial = issued.get().serial();
        return new HostCertReissue(h.name, domain, previousSerial, serial, revoked, true, (previous.isEmpty()
                ? "no certificate " + domain + " was there; obtained one" : (revoked ? "revoked " : "deleted (already revoked) ")
                + previousSerial + ", obtained " + serial) + " (expires " + issued.get().expiry() + "); nginx serves it");
    }

    private void record(CertHost h, String domain, String result) throws OpsException {
        h.rootOk(Certbot.record(ReissueLog.line(new ReissueLog.Entry(domain, h.clock(), user, from, result))),
                "recording the reissue");
    }

    private static String caBundle(HostVariables vars) throws OpsException {
        return optional(vars, "acme_ca_bundle");
    }

    private static String optional(HostVariables vars, String name) throws OpsException {
        if (!vars.isDefined(name)) {
            return null;
        }
        String v = vars.getString(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private CertHost open(String name) throws OpsException {
        HostVariables vars = env.variables(name);
        ConnectionSettings s = access.settings(env, vars);
        SshRemote remote;
        try {
            remote = SshRemote.connect(s);
        } catch (OpsException e) {
            throw new OpsException(name + " cannot be reached, nothing was changed: " + e.getMessage());
        }
        return new CertHost(name, vars, remote, s.become() ? s.becomeUser() : null);
    }
}
