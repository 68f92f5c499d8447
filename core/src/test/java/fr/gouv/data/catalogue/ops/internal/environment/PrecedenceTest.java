package fr.gouv.data.catalogue.ops.internal.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each layer overrides the ones below it, and says where the winning value came from. */
class PrecedenceTest {
    @TempDir
    Path tmp;
    OpsFixture ops;

    @BeforeEach
    void layers() {
        ops = new OpsFixture(tmp);
        ops.file("group_vars/all.yml", "v1: shared-all\nv2: shared-all\nv3: shared-all\nv4: shared-all\n"
                        + "v5: shared-all\nv6: shared-all\nv7: shared-all\nv8: shared-all\n")
                .file("group_vars/web.yml", "v2: shared-web\nv3: shared-web\nv4: shared-web\nv5: shared-web\n"
                        + "v6: shared-web\nv7: shared-web\nv8: shared-web\ngit_version: shared\n")
                .file("environments/e/hosts", "[web]\nh1 v5=host-line v6=host-line v7=host-line v8=host-line\n"
                        + "[web:vars]\nv3=inventory-group\nv4=inventory-group\nv5=inventory-group\n")
                .file("environments/e/group_vars/web/10-main.yml", "v4: env-group\nv5: env-group\n")
                .file("environments/e/host_vars/h1.yml", "v6: host-vars\nv7: host-vars\nv8: host-vars\n")
                .secrets("e", "v7: secret\nv8: secret\n");
    }

    private HostVariables vars(String... extra) throws Exception {
        Environment.Options options = new Environment.Options(new ExtraVars(List.of(extra)), ops::vault,
                HostFacts.NONE, tmp);
        return EnvironmentCatalogue.at(ops.opsDir()).environment("e", options).variables("h1");
    }

    @Test
    void everyLayerInOrder() throws Exception {
        HostVariables v = vars("v8=extra");
        assertEquals("shared-all", v.get("v1"));
        assertEquals("shared-web", v.get("v2"));
        assertEquals("inventory-group", v.get("v3"));
        assertEquals("env-group", v.get("v4"));
        assertEquals("host-line", v.get("v5"));
        assertEquals("host-vars", v.get("v6"));
        assertEquals("secret", v.get("v7"));
        assertEquals("extra", v.get("v8"));
        assertEquals("shared", v.get("git_version"));
        assertEquals(false, v.get("tls_enabled"));
        assertEquals("role defaults", v.variable("tls_enabled").orElseThrow().origin().toString());
    }

    @Test
    void originsNameFileAndLine() throws Exception {
        HostVariables v = vars();
        assertEquals("ops/ansible/group_vars/all.yml:1", v.variable("v1").orElseThrow().origin().toString());
        assertEquals("ops/ansible/group_vars/web.yml:1", v.variable("v2").orElseThrow().origin().toString());
        assertEquals("ops/ansible/environments/e/hosts:4", v.variable("v3").orElseThrow().origin().toString());
        assertEquals("ops/ansible/environments/e/group_vars/web/10-main.yml:1",
                v.variable("v4").orElseThrow().origin().toString());
        assertEquals("ops/ansible/environments/e/hosts:2", v.variable("v5").orElseThrow().origin().toString());
        assertEquals("ops/ansible/environments/e/host_vars/h1.yml:1", v.variable("v6").orElseThrow().origin().toString());
        assertEquals("ops/ansible/environments/e/secrets:1", v.variable("v7").orElseThrow().origin().toString());
        assertEquals("-e on the command line", vars("v8=x").variable("v8").orElseThrow().origin().toString());
    }

    @Test
    void secretsAreMarkedSecretAndOthersAreNot() throws Exception {
        HostVariables v = vars();
        assertTrue(v.resolve("v7").secret());
        assertFalse(v.resolve("v6").secret());
    }

    @Test
    void extraVarsFromFileAndJson() throws Exception {
        ops.file("extra.yml", "v1: from-file\nv2: from-file\n");
        HostVariables v = vars("@ops/ansible/extra.yml", "{\"v2\": \"json\", \"n\": 3}", "a='x y' b=z");
        assertEquals("from-file", v.get("v1"));
        assertEquals("json", v.get("v2"));
        assertEquals(3, v.get("n"));
        assertEquals("x y", v.get("a"));
        assertEquals("z", v.get("b"));
    }
}
