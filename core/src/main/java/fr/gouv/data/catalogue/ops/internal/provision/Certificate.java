package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TaskFailure;
import fr.gouv.data.catalogue.ops.internal.task.TemplateFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A certificate for {@code domain_name} from the ACME server ({@code acme_server}, default Let's
 * Encrypt's) with certbot's webroot method, unless {@code /etc/letsencrypt/live/DOMAIN} exists.
 * The task owns the app site while it does so: nginx cannot load the site before the certificate
 * exists (the TLS site names its files; the port-80 variant takes the port from the challenge
 * site), so the site is removed, nginx reloaded for the challenge site to answer, the certificate
 * obtained, and the site written back, TLS variant, by this task itself.
 */
public record Certificate(TemplateFile appSite, Set<String> tags, List<String> notifies) implements Task {
    public static final String WEBROOT = "/var/www/letsencrypt";

    public Certificate {
        tags = Set.copyOf(tags);
        notifies = List.copyOf(notifies);
    }

    @Override
    public String name() {
        return "certificate (certbot)";
    }

    static Command certbotCommand(String domain, String email, String acmeServer, String caBundle) {
        List<String> argv = new ArrayList<>();
        if (caBundle != null && !caBundle.isBlank()) {
            argv.addAll(List.of("env", "REQUESTS_CA_BUNDLE=" + caBundle));
        }
        argv.addAll(List.of("certbot", "certonly", "-n", "--webroot", "-w", WEBROOT, "--agree-tos", "--email", email,
                "-d", domain));
        if (acmeServer != null && !acmeServer.isBlank()) {
            argv.addAll(List.of("--server", acmeServer));
        }
        return Command.of(argv.toArray(String[]::new));
    }

    private static String optional(HostVariables vars, String name) throws OpsException {
        return vars.isDefined(name) ? vars.getString(name) : null;
    }

    @Override
    public List<Command> probes(HostContext host) throws OpsException {
        return List.of(Command.of("test", "-d", "/etc/letsencrypt/live/" + host.variables().getString("domain_name")));
    }

    /**
     * The certificate's name ({@code domain_name}), checked with everything else certbot will need
     * to obtain it ({@code letsencrypt_email}).
     *
     * @throws TaskFailure a variable is missing or wrong, the line says which and where to set it
     */
    public static String checkRequest(HostVariables vars) throws OpsException {
        String domain = domain(vars);
        String email = optional(vars, "letsencrypt_email");
        if (email == null || email.isBlank()) {
            throw new TaskFailure("letsencrypt_email is not set; certbot needs it (group_vars/web.yml)");
        }
        return domain;
    }

    private static String domain(HostVariables vars) throws OpsException {
        String domain = vars.getString("domain_name");
        if (domain == null || !domain.matches("[A-Za-z0-9.-]+")) {
            throw new TaskFailure("domain_name '" + domain + "' is not a domain name; set it in group_vars");
        }
        return domain;
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        HostVariables vars = host.variables();
        String domain = domain(vars);
        if (host.run(Command.of("test", "-d", "/etc/letsencrypt/live/" + domain)).ok()) {
            return Change.none();
        }
        checkRequest(vars);
        String email = optional(vars, "letsencrypt_email");
        Command certbot = certbotCommand(domain, email, optional(vars, "acme_server"), optional(vars, "acme_ca_bundle"));
        // rendered before anything is removed: a template error leaves the host as it was
        byte[] site = appSite.render(host).getBytes(StandardCharsets.UTF_8);
        String path = appSite.path();
        return Change.of("obtain a certificate for " + domain + " and write " + path + " for it", h -> {
            h.runOk(Command.of("rm", "-f", path));
            h.runOk(Command.of("nginx", "-t"));
            h.runOk(ReloadNginx.command(h));
            var r = h.run(certbot);
            if (!r.ok()) {
                throw new TaskFailure("certbot could not obtain a certificate for " + domain + ": " + r.stderr().strip()
                        .replaceAll("\\s+", " ") + " (check that " + domain + " points to this host and port 80 is open; " + path
                        + " stays removed until a certificate is obtained)");
            }
            appSite.write(h, site);
        });
    }
}
