package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import fr.gouv.data.catalogue.ops.internal.environment.ExtraVars;
import fr.gouv.data.catalogue.ops.internal.environment.HostFacts;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.internal.task.ConditionalTask;
import fr.gouv.data.catalogue.ops.internal.task.Play;
import fr.gouv.data.catalogue.ops.internal.task.PlayRunner;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TemplateFile;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The certificate task removes the app site and writes it back itself: no later task is relied on. */
class CertificateTest {
    static final String SITE = "/etc/nginx/sites-enabled/catalogage.conf";

    @TempDir
    Path tmp;

    HostVariables vars() throws Exception {
        OpsFixture ops = new OpsFixture(tmp.resolve("ops"));
        ops.file("environments/e/hosts", "[web]\nweb1\n").secrets("e", "secret_key: 's3'\n");
        ops.file("environments/e/group_vars/web.yml", "tls_enabled: true\ndomain_name: catalogue.example.org\n"
                + "letsencrypt_email: ops@example.org\napi_port: 3579\nclient_port: 3000\n");
        Environment.Options options = new Environment.Options(ExtraVars.none(), ops::vault, HostFacts.NONE, tmp);
        return EnvironmentCatalogue.at(ops.opsDir()).environment("e", options).variables("web1");
    }

    /** A host without the certificate, on init scripts, whose certbot exits with {@code certbotExit}; what it was sent is recorded. */
    static Remote host(List<String> sent, List<String> uploaded, int certbotExit) {
        return new Remote() {
            public String host() {
                return "web1";
            }

            public ExecResult exec(Command command, OutputListener listener) {
                sent.add(command.toString());
                String line = command.toString();
                int exit = line.startsWith("test -d /etc/letsencrypt/live/") ? 1 : line.contains("certbot") ? certbotExit : 0;
                String out = line.contains("run/systemd/system") ? "sysv\n" : "";
                return new ExecResult("web1", exit, out, exit == 0 ? "" : "Challenge failed\n", Duration.ZERO);
            }

            public void upload(byte[] content, String path, String mode, String owner, String becomeUser) {
                sent.add("upload " + path + " " + mode + " " + owner);
                uploaded.add(new String(content, StandardCharsets.UTF_8));
            }

            public byte[] download(String path) {
                throw new AssertionError("no download expected");
            }

            public void close() {
            }
        };
    }

    static Certificate certificateOf(Play play) {
        return play.tasks().stream().map(t -> t instanceof ConditionalTask c ? c.task() : t)
                .filter(Certificate.class::isInstance).map(Certificate.class::cast).findFirst().orElseThrow();
    }

    @Test
    void theRecipesCertificateTaskOwnsTheAppSiteItsTemplateTaskWrites() throws Exception {
        Play play = ProvisionRecipe.play(Templates.shipped());
        Task site = play.tasks().stream().filter(t -> t instanceof TemplateFile f && f.path().equals(SITE)).findFirst().orElseThrow();
        Certificate certificate = certificateOf(play);
        assertSame(site, certificate.appSite(), "one template, written by both");
        assertEquals(List.of(ProvisionRecipe.RELOAD_NGINX), certificate.notifies(), "nginx reloads the site it wrote");
    }

    @Test
    void removesTheSiteObtainsTheCertificateThenWritesTheTlsSiteBack() throws Exception {
        Play recipe = ProvisionRecipe.play(Templates.shipped());
        Certificate certificate = certificateOf(recipe);
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        List<String> uploaded = Collections.synchronizedList(new ArrayList<>());
        HostVariables vars = vars();
        PlayRecap recap = PlayRunner.run(Play.named("tls").task(certificate)
                        .handler(ProvisionRecipe.RELOAD_NGINX, recipe.handler(ProvisionRecipe.RELOAD_NGINX)).build(),
                List.of(new PlayRunner.Target("web1", () -> host(sent, uploaded, 0), null, vars)), PlayRunner.Options.defaults(),
                RunListener.NONE);
        TaskResult r = recap.results().get(0);
        assertEquals(List.of(TaskStatus.CHANGED, "obtain a certificate for catalogue.example.org and write " + SITE + " for it"),
                List.of(r.status(), r.message()));
        assertEquals(List.of("test -d /etc/letsencrypt/live/catalogue.example.org", "rm -f " + SITE, "nginx -t",
                "sh -c 'if [ -d /run/systemd/system ]; then echo systemd; else echo"
                        + " sysv; fi'",
                "sh -c 'service nginx status >/dev/null 2>&1 && service nginx reload || service nginx start'",
                "certbot certonly -n --webroot -w /var/www/letsencrypt --agree-tos --email ops@example.org -d catalogue.example.org",
                "upload " + SITE + " 0644 root:root", "nginx -t", "service nginx reload"), sent, "the handler reloads the written site");
        assertTrue(uploaded.get(0).contains("ssl_certificate /etc/letsencrypt/live/catalogue.example.org/fullchain.pem;"),
                uploaded.get(0));
    }

    @Test
    void whenCertbotFailsTheSiteStaysRemovedAndTheMessageSaysSo() throws Exception {
        Play recipe = ProvisionRecipe.play(Templates.shipped());
        Certificate certificate = certificateOf(recipe);
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        HostVariables vars = vars();
        PlayRecap recap = PlayRunner.run(Play.named("tls").task(certificate)
                        .handler(ProvisionRecipe.RELOAD_NGINX, recipe.handler(ProvisionRecipe.RELOAD_NGINX)).build(),
                List.of(new PlayRunner.Target("web1", () -> host(sent, new ArrayList<>(), 1), null, vars)),
                PlayRunner.Options.defaults(), RunListener.NONE);
        assertEquals("certbot could not obtain a certificate for catalogue.example.org: Challenge failed (check that"
                + " catalogue.example.org points to this host and port 80 is open; " + SITE + " stays removed until a certificate"
                + " is obtained)", recap.results().get(0).message());
        assertTrue(sent.stream().noneMatch(c -> c.startsWith("upload")), sent.toString());
    }
}
