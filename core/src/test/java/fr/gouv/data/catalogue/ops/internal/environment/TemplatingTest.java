package fr.gouv.data.catalogue.ops.internal.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import fr.gouv.data.catalogue.ops.internal.vault.VaultDecryptionException;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatingTest {
    @TempDir
    Path tmp;
    OpsFixture ops;

    @BeforeEach
    void base() {
        ops = new OpsFixture(tmp);
        ops.file("environments/e/hosts", "[web]\nweb1.example.org\n").secrets("e", "secret_key: 's3'\n");
    }

    private HostVariables vars(String groupVars, HostFacts facts) throws Exception {
        ops.file("environments/e/group_vars/web.yml", groupVars);
        Environment.Options options = new Environment.Options(ExtraVars.none(), ops::vault, facts, tmp);
        return EnvironmentCatalogue.at(ops.opsDir()).environment("e", options).variables("web1.example.org");
    }

    private HostVariables vars(String groupVars) throws Exception {
        return vars(groupVars, HostFacts.NONE);
    }

    @Test
    void magicVariables() throws Exception {
        HostVariables v = vars("src: \"{{ inventory_dir }}/assets/initdata.yml\"\nd: \"{{ inventory_hostname }}\"\n"
                + "s: \"{{ inventory_hostname_short }}\"\ng: \"{{ group_names | join(',') }}\"\n");
        assertEquals(ops.opsDir().resolve("environments/e") + "/assets/initdata.yml", v.get("src"));
        assertEquals("web1.example.org", v.get("d"));
        assertEquals("web1", v.get("s"));
        assertEquals("web", v.get("g"));
    }

    @Test
    void recursiveAndLazy() throws Exception {
        HostVariables v = vars("a: \"{{ b }}-a\"\nb: \"{{ c }}-b\"\nc: c\nunused: \"{{ nowhere }}\"\n");
        assertEquals("c-b-a", v.get("a"));
    }

    @Test
    void singleExpressionsKeepTheirType() throws Exception {
        HostVariables v = vars("port: 3579\nsame: \"{{ port }}\"\nnext: \"{{ port + 1 }}\"\ntext: \"p{{ port }}\"\n"
                + "list: [\"{{ port }}\", 2]\n");
        assertEquals(3579, v.get("same"));
        assertEquals(3580, v.get("next"));
        assertEquals("p3579", v.get("text"));
        assertEquals(List.of(3579, 2), v.get("list"));
    }

    @Test
    void filtersDefaultTrimQuoteBool() throws Exception {
        HostVariables v = vars("a: \"{{ missing | default('fallback') }}\"\nb: \"{{ '  x  ' | trim }}\"\n"
                + "c: \"{{ \\\"it's $(rm -rf /)\\\" | quote }}\"\nd: \"{{ 'yes' | bool }}\"\ne: \"{{ 'plain' | quote }}\"\n");
        assertEquals("fallback", v.get("a"));
        assertEquals("x", v.get("b"));
        assertEquals("'it'\"'\"'s $(rm -rf /)'", v.get("c"));
        assertEquals(true, v.get("d"));
        assertEquals("plain", v.get("e"));
    }

    @Test
    void cycleIsDetectedAndNamed() throws Exception {
        HostVariables v = vars("a: \"{{ b }}\"\nb: \"x{{ c }}\"\nc: \"{{ a }}\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> v.get("a"));
        assertTrue(e.getMessage().contains("template loop in variable 'a' (a -> b -> c -> a)"), e.getMessage());
        assertTrue(e.getMessage().startsWith("ops/ansible/environments/e/group_vars/web.yml:1"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void selfReferenceIsACycle() throws Exception {
        HostVariables v = vars("a: \"{{ a }}\"\n");
        assertThrows(ConfigException.class, () -> v.get("a"));
    }

    @Test
    void undefinedVariableNamesItAndTheFix() throws Exception {
        HostVariables v = vars("x: 1\nwho: \"{{ nobody }}\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> v.get("who"));
        assertEquals("ops/ansible/environments/e/group_vars/web.yml:2: undefined variable 'nobody' in variable 'who'"
                + " '{{ nobody }}'; define it, or use {{ nobody | default(...) }}", e.getMessage());
    }

    @Test
    void askingForAnUndefinedVariableIsAConfigurationError() throws Exception {
        HostVariables v = vars("x: 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> v.get("ansible_host"));
        assertEquals("web1.example.org: variable 'ansible_host' is not defined; set it in the environment's group_vars,"
                + " host_vars or secrets", e.getMessage());
    }

    @Test
    void brokenSyntaxIsATemplateError() throws Exception {
        HostVariables v = vars("x: \"{{ 1 + }}\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> v.get("x"));
        assertTrue(e.getMessage().contains("template error in variable 'x'"), e.getMessage());
    }

    @Test
    void hostFactsAreAskedOnlyWhenNeeded() throws Exception {
        String gv = "workdir: \"{{ ansible_env.HOME }}/catalogage\"\nplain: x\n";
        HostVariables noHost = vars(gv);
        assertEquals("x", noHost.get("plain"));
        FactsRequiredException e = assertThrows(FactsRequiredException.class, () -> noHost.get("workdir"));
        assertEquals("ansible_env", e.fact());
        HostFacts facts = name -> name.equals("ansible_env") ? Optional.of(Map.of("HOME", "/home/app")) : Optional.empty();
        assertEquals("/home/app/catalogage", vars(gv, facts).get("workdir"));
    }

    @Test
    void inlineVaultValuesAreDecryptedAndSecret() throws Exception {
        HostVariables v = vars(ops.inline("db_password", "p@ss") + "url: \"postgresql://u:{{ db_password }}@h/db\"\n"
                + "public: \"{{ inventory_hostname }}\"\n");
        assertEquals("p@ss", v.get("db_password"));
        assertEquals("postgresql://u:p@ss@h/db", v.get("url"));
        assertTrue(v.resolve("url").secret(), "derived from a secret");
        assertFalse(v.resolve("public").secret());
    }

    @Test
    void derivedFromTheSecretsFileIsSecret() throws Exception {
        HostVariables v = vars("cookie: \"{{ secret_key }}!\"\n");
        assertTrue(v.resolve("cookie").secret());
        assertEquals("s3!", v.get("cookie"));
    }

    @Test
    void vaultEncryptedVarsFileIsReadAndSecret() throws Exception {
        ops.file("environments/e/group_vars/all.yml", ops.encrypt("token: abc\n"));
        HostVariables v = vars("x: 1\n");
        assertEquals("abc", v.get("token"));
        assertTrue(v.resolve("token").secret());
    }

    @Test
    void inlineVaultWithTheWrongPasswordIsAClearError() throws Exception {
        String inline = ops.inline("db_password", "p@ss");
        ops.file("environments/e/group_vars/web.yml", inline);
        Environment.Options wrong = new Environment.Options(ExtraVars.none(),
                () -> new Vault(List.of(new fr.gouv.data.catalogue.ops.internal.vault.VaultSecret("default", "bad".getBytes(), "t"))),
                HostFacts.NONE, tmp);
        Environment env = EnvironmentCatalogue.at(ops.opsDir()).environment("e", wrong);
        // the secrets file itself cannot be opened either: read without it
        HostVariables v = env.variablesWithoutSecrets("web1.example.org");
        VaultDecryptionException e = assertThrows(VaultDecryptionException.class, () -> v.get("db_password"));
        assertTrue(e.getMessage().startsWith("ops/ansible/environments/e/group_vars/web.yml:1 (!vault value)"), e.getMessage());
    }
}
