package fr.gouv.data.catalogue.ops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.gouv.data.catalogue.ops.BadOptionException;
import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.api.CertReissueCommand;
import fr.gouv.data.catalogue.ops.internal.task.ConsoleReport;
import fr.gouv.data.catalogue.ops.report.CertRenewReport;
import fr.gouv.data.catalogue.ops.report.CertReissueReport;
import fr.gouv.data.catalogue.ops.report.CertificateInfo;
import fr.gouv.data.catalogue.ops.report.HostCertRenewal;
import fr.gouv.data.catalogue.ops.report.HostCertReissue;
import fr.gouv.data.catalogue.ops.report.HostCertificates;
import fr.gouv.data.catalogue.ops.report.RunListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code certs ENV}, {@code certs renew ENV}, {@code certs reissue ENV --yes}: the CLI presents, the facade works. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "The TLS certificates certbot manages on ENV's web hosts: name, domains, expiry, days left, path"
                + " (certbot certificates); renew them now, or reissue one (revoke, delete, obtain again).",
        subcommands = {CertsCommand.Renew.class, CertsCommand.Reissue.class})
final class CertsCommand implements Callable<Integer> {
    @ParentCommand
    CatalogueOpsCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENV", description = "The environment.")
    String name;

    @Option(names = {"-l", "--limit"}, split = ",", paramLabel = "HOST", description = "Only these hosts.")
    List<String> limit = new ArrayList<>();

    @Option(names = "--json", description = "One JSON document instead of text.")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'ENV'");
        }
        List<HostCertificates> all;
        try {
            all = root.ops().certs(name, limit.toArray(String[]::new));
        } catch (BadOptionException e) {
            throw new ConfigException("--" + e.getMessage());
        }
        PrintStream out = root.session.out();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("environment", name);
            doc.put("hosts", all.stream().map(CertsCommand::json).toList());
            out.println(JSON.writeValueAsString(doc));
            return Main.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"host", "name", "domains", "expiry", "days left", "status", "serial", "certificate"});
        List<String> none = new ArrayList<>();
        for (HostCertificates h : all) {
            if (h.certificates().isEmpty()) {
                none.add(h.host() + ": no certificate; catalogue-ops provision " + name + " obtains one for domain_name");
            }
            for (CertificateInfo c : h.certificates()) {
                rows.add(new String[] {h.host(), c.name(), String.join(",", c.domains()), c.expiry(), String.valueOf(c.daysLeft()),
                        c.status(), c.serial(), c.certificatePath()});
            }
        }
        if (rows.size() > 1) {
            Table.print(out, rows);
        }
        none.forEach(out::println);
        return Main.OK;
    }

    static Map<String, Object> json(HostCertificates h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", h.host());
        List<Map<String, Object>> certs = new ArrayList<>();
        for (CertificateInfo c : h.certificates()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", c.name());
            e.put("domains", c.domains());
            e.put("expiry", c.expiry());
            e.put("days_left", c.daysLeft());
            e.put("valid", c.valid());
            e.put("status", c.status());
            e.put("serial", c.serial());
            e.put("key_type", c.keyType());
            e.put("certificate_path", c.certificatePath());
            e.put("private_key_path", c.privateKeyPath());
            certs.add(e);
        }
        m.put("certificates", certs);
        return m;
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "certbot renew now on ENV's web hosts (what the weekly certs_renewal cron entry does); nginx is"
                    + " reloaded gracefully, after nginx -t, only where a certificate changed.")
    static final class Renew implements Callable<Integer> {
        @ParentCommand
        CertsCommand certs;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = {"-l", "--limit"}, split = ",", paramLabel = "HOST", description = "Only these hosts.")
        List<String> limit = new ArrayList<>();

        @Option(names = "--json", description = "One JSON document instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CertRenewReport report;
            try {
                report = certs.root.ops().renewCerts(name).limit(limit.toArray(String[]::new)).call();
            } catch (BadOptionException e) {
                throw new ConfigException("--" + e.getMessage());
            }
            PrintStream out = certs.root.session.out();
            if (json) {
                List<Map<String, Object>> hosts = new ArrayList<>();
                for (HostCertRenewal h : report.hosts()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("host", h.host());
                    m.put("renewed", h.renewed());
                    m.put("unchanged", h.unchanged());
                    m.put("nginx_reloaded", h.nginxReloaded());
                    m.put("succeeded", h.succeeded());
                    m.put("message", h.message());
                    hosts.add(m);
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("environment", name);
                doc.put("succeeded", report.succeeded());
                doc.put("hosts", hosts);
                out.println(JSON.writeValueAsString(doc));
            } else {
                report.hosts().forEach(h -> out.println((h.succeeded() ? "" : "FAILED ") + h.host() + ": " + h.message()));
            }
            return report.succeeded() ? Main.OK : Main.FAILED;
        }
    }

    @Command(name = "reissue", mixinStandardHelpOptions = true,
            description = "Reissue ENV's certificate (domain_name), host by host, as the guide does it: revoke, delete, and"
                    + " obtain a new one through the webroot with provisioning's own TLS tasks. Mind the ACME server's rate"
                    + " limits: a second reissue within an hour is refused without --force.")
    static final class Reissue implements Callable<Integer> {
        @ParentCommand
        CertsCommand certs;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = "--yes", description = "Do it (without: say what would happen, change nothing).")
        boolean yes;

        @Option(names = "--force", description = "Allow a second reissue of the same name within an hour.")
        boolean force;

        @Option(names = {"-l", "--limit"}, split = ",", paramLabel = "HOST", description = "Only these hosts.")
        List<String> limit = new ArrayList<>();

        @Option(names = "--json", description = "One JSON document instead of text.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CertReissueCommand reissue = certs.root.ops().reissueCerts(name).limit(limit.toArray(String[]::new)).force(force);
            List<String> plan;
            try {
                plan = reissue.plan();
            } catch (BadOptionException e) {
                throw new ConfigException("--" + e.getMessage());
            }
            if (!yes) {
                throw new ConfigException("certs reissue " + name + " changes nothing without --yes; with it: "
                        + String.join("; ", plan) + "; " + CertReissueCommand.RATE_LIMIT_WARNING);
            }
            PrintStream out = certs.root.session.out();
            certs.root.session.err().println("catalogue-ops: warning: " + CertReissueCommand.RATE_LIMIT_WARNING);
            if (!json) {
                out.println("reissuing " + name + "'s certificate" + (force ? " (--force)" : ""));
            }
            CertReissueReport report = reissue.listener(json ? RunListener.NONE : ConsoleReport.progress(out, false)).call();
            if (json) {
                out.println(JSON.writeValueAsString(json(report)));
            } else {
                report.hosts().forEach(h -> out.println((h.succeeded() ? "" : "FAILED ") + h.host() + ": " + h.message()));
            }
            return report.succeeded() ? Main.OK : Main.FAILED;
        }

        static Map<String, Object> json(CertReissueReport report) {
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (HostCertReissue h : report.hosts()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", h.host());
                m.put("name", h.name());
                m.put("previous_serial", h.previousSerial());
                m.put("serial", h.serial());
                m.put("revoked", h.revoked());
                m.put("succeeded", h.succeeded());
                m.put("message", h.message());
                hosts.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("environment", report.environment());
            doc.put("forced", report.forced());
            doc.put("succeeded", report.succeeded());
            doc.put("warning", CertReissueCommand.RATE_LIMIT_WARNING);
            doc.put("hosts", hosts);
            return doc;
        }
    }
}
