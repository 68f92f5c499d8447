package fr.gouv.data.catalogue.ops.internal.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import fr.gouv.data.catalogue.ops.internal.environment.ExtraVars;
import fr.gouv.data.catalogue.ops.internal.environment.HostFacts;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.testing.AnsiblePeer;
import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped templates render byte for byte as Ansible's template module renders them (same
 * trim_blocks), so that a host provisioned by either tool is left alone by the other.
 */
class TemplatesAnsibleCrossCheckTest {
    @TempDir
    Path tmp;

    private HostVariables vars(boolean tls) throws Exception {
        OpsFixture ops = new OpsFixture(tmp.resolve(tls ? "tls" : "plain"));
        ops.file("environments/e/hosts", "[web]\nweb1.example.org\n").secrets("e", "secret_key: 's3'\n");
        ops.file("environments/e/group_vars/web.yml", "tls_enabled: " + tls + "\ndomain_name: catalogue.example.org\n"
                + "api_port: 3579\nclient_port: 3000\n");
        Environment.Options options = new Environment.Options(ExtraVars.none(), ops::vault, HostFacts.NONE, tmp);
        return EnvironmentCatalogue.at(ops.opsDir()).environment("e", options).variables("web1.example.org");
    }

    @Test
    void everyTemplateRendersAsAnsibleRendersIt() throws Exception {
        AnsiblePeer.require("ansible");
        for (boolean tls : List.of(false, true)) {
            HostVariables vars = vars(tls);
            for (String name : List.of("nginx.conf.j2", "catalogage.conf.j2", "acme-challenge.conf.j2")) {
                Templates.Template t = Templates.shipped().get(name);
                Path src = Files.writeString(tmp.resolve(name), t.text());
                Path dest = tmp.resolve(name + "." + tls + ".out");
                AnsiblePeer.Result r = AnsiblePeer.run(tmp, new byte[0], "ansible", "localhost", "-c", "local", "-m", "template",
                        "-a", "src=" + src + " dest=" + dest, "-e", "tls_enabled=" + tls, "-e", "domain_name=catalogue.example.org",
                        "-e", "api_port=3579", "-e", "client_port=3000");
                assertEquals(0, r.exitCode(), r.out() + r.stderr());
                String ours = String.valueOf(vars.render(t.text(), "template " + name));
                assertEquals(Files.readString(dest), ours, name + " with tls_enabled=" + tls);
            }
        }
    }

    @Test
    void dhparamsAreRfc7919Ffdhe2048AsOpensslKnowsThem() throws Exception {
        AnsiblePeer.require("openssl");
        AnsiblePeer.Result r = AnsiblePeer.run(tmp, new byte[0], "openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt",
                "group:ffdhe2048");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(r.out(), Templates.resource("ffdhe2048.pem"));
        assertTrue(r.out().startsWith("-----BEGIN DH PARAMETERS-----\n"));
    }
}
