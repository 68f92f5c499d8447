package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.internal.task.Absent;
import fr.gouv.data.catalogue.ops.internal.task.AptCache;
import fr.gouv.data.catalogue.ops.internal.task.CronEntry;
import fr.gouv.data.catalogue.ops.internal.task.Directory;
import fr.gouv.data.catalogue.ops.internal.task.FileContent;
import fr.gouv.data.catalogue.ops.internal.task.Packages;
import fr.gouv.data.catalogue.ops.internal.task.Play;
import fr.gouv.data.catalogue.ops.internal.task.Service;
import fr.gouv.data.catalogue.ops.internal.task.ServiceAction;
import fr.gouv.data.catalogue.ops.internal.task.TemplateFile;
import fr.gouv.data.catalogue.ops.internal.task.When;
import fr.gouv.data.catalogue.ops.internal.task.Change;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.PerHost;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TaskFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code make ops-provision} and the nginx/TLS part of the deploy tag, as tasks: apt lists,
 * runtimes, nginx, supervisor, certbot, services, nginx's configuration, and with
 * {@code tls_enabled} the ACME webroot, ffdhe2048 parameters, the certificate and its renewal.
 */
public final class ProvisionRecipe {
    public static final String RELOAD_NGINX = "reload nginx";
    static final Set<String> PROVISION = Set.of("provision");
    /** What the runtimes need: apt lists, base packages (git, curl, make) and the runtimes themselves. */
    static final Set<String> RUNTIMES = Set.of("provision", "runtimes");
    static final Set<String> NGINX = Set.of("provision", "nginx");
    static final Set<String> TLS = Set.of("provision", "nginx", "tls");
    /** Every tag the recipe's tasks carry, for {@code --tags}. */
    public static final java.util.SortedSet<String> TAGS = java.util.Collections.unmodifiableSortedSet(
            new java.util.TreeSet<>(Set.of("provision", "runtimes", "nginx", "tls")));

    private ProvisionRecipe() {
    }

    public static Play play(Templates templates) throws ConfigException {
        TemplateFile appSite = template(templates, "catalogage.conf.j2", "/etc/nginx/sites-enabled/catalogage.conf", NGINX);
        Play.Builder play = Play.named("provision")
                .task(new AptCache(Duration.ofHours(1), RUNTIMES))
                .task(new Packages("base packages", List.of("ca-certificates", "curl", "cron", "git", "make"), false, RUNTIMES));
        return play.tasks(Runtimes.python(RUNTIMES)).tasks(Runtimes.node(RUNTIMES)).task(new Packages("nginx (latest)", List.of("nginx"), true, PROVISION))
                .task(packages("supervisor and certbot", List.of("supervisor", "certbot")))
                .task(systemPackages())
                .task(new Service("nginx", PROVISION))
                .task(new Service("supervisor", PROVISION))
                .task(new Service("cron", PROVISION))
                .task(new Absent("nginx default site absent", "/etc/nginx/sites-enabled/default", NGINX, List.of(RELOAD_NGINX)))
                .task(template(templates, "nginx.conf.j2", "/etc/nginx/nginx.conf", NGINX))
                // the upstreams the app site includes, before any task writes that site
                .tasks(upstreams(templates))
                .task(new When("tls_enabled", true, new Directory("ACME webroot", Certificate.WEBROOT, "0755", "root:root", TLS)))
                .task(new When("tls_enabled", true, new FileContent("dhparams (RFC 7919 ffdhe2048)", "/etc/nginx/dhparams.pem",
                        Templates.resource("ffdhe2048.pem").getBytes(StandardCharsets.UTF_8), "0644", "root:root", false, TLS,
                        List.of(RELOAD_NGINX))))
                .task(new When("tls_enabled", true, template(templates, "acme-challenge.conf.j2",
                        "/etc/nginx/sites-enabled/acme-challenge.conf", TLS)))
                .task(new When("tls_enabled", false, new Absent("ACME site absent", "/etc/nginx/sites-enabled/acme-challenge.conf",
                        NGINX, List.of(RELOAD_NGINX))))
                // the certificate task removes the app site and writes it back itself (see Certificate)
                .task(new When("tls_enabled", true, new Certificate(appSite, TLS, List.of(RELOAD_NGINX))))
                .task(new When("tls_enabled", true, new CronEntry("certs_renewal", "@weekly", "certbot renew -q", "root", TLS)))
                .task(appSite)
                .handler(RELOAD_NGINX, new ServiceAction("nginx", "reload", List.of("nginx", "-t")))
                .build();
    }

    /**
     * The upstreams file, when the app site includes it (the shipped template does; a team's own
     * {@code catalogage.conf.j2} with fixed upstreams would see them defined twice).
     */
    static List<Task> upstreams(Templates templates) throws ConfigException {
        return templates.get("catalogage.conf.j2").text().contains(UpstreamsFile.PATH) ? List.of(new UpstreamsFile(NGINX)) : List.of();
    }

    /** {@code system_packages}: Debian packages the app needs (e.g. its Python libraries where there is no PyPI). */
    static Task systemPackages() {
        String name = "system_packages (the app's Debian packages)";
        return new PerHost(name, PROVISION, host -> {
            List<String> names = List.of();
            if (host.variables().isDefined("system_packages")) {
                Object value = host.variables().get("system_packages");
                names = value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(value).strip().split("[,\\s]+")).stream().filter(s -> !s.isEmpty()).toList();
            }
            for (String p : names) {
                if (!p.matches("[a-z0-9][a-z0-9+.-]+")) {
                    throw new TaskFailure("system_packages: '" + p + "' is not a Debian package name; fix it in group_vars");
                }
            }
            if (names.isEmpty()) {
                return new Nothing(name);
            }
            return new Packages(name, names, false, PROVISION);
        });
    }

    /** A task with nothing to do (an empty package list). */
    private record Nothing(String name) implements Task {
        @Override
        public Change plan(HostContext host) {
            return Change.none();
        }
    }

    private static Packages packages(String name, List<String> names) {
        return new Packages(name, names, false, PROVISION);
    }

    private static TemplateFile template(Templates templates, String name, String path, Set<String> tags)
            throws ConfigException {
        Templates.Template t = templates.get(name);
        return new TemplateFile(path.substring(path.lastIndexOf('/') + 1) + " (" + name + ")", t.source(), t.text(), path,
                "0644", "root:root", tags, List.of(RELOAD_NGINX));
    }
}
