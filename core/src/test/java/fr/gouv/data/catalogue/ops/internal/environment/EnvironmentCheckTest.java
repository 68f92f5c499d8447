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

class EnvironmentCheckTest {
    @TempDir
    Path tmp;
    OpsFixture ops;

    @BeforeEach
    void valid() {
        ops = new OpsFixture(tmp).validEnvironment("prod");
    }

    private List<String> problems(boolean reveal) throws Exception {
        Environment e = EnvironmentCatalogue.at(ops.opsDir()).environment("prod",
                new Environment.Options(ExtraVars.none(), ops::vault, HostFacts.NONE, tmp));
        return EnvironmentCheck.run(e, reveal).stream().map(EnvironmentCheck.Problem::toString).toList();
    }

    @Test
    void aCompleteEnvironmentHasNoProblem() throws Exception {
        assertEquals(List.of(), problems(false));
    }

    @Test
    void missingRequiredVariablesNameTheFileToEdit() throws Exception {
        ops.secrets("prod", "secret_key: 'k'\ndatapass_client_id: 'x'\ndatapass_client_secret: 'y'\n");
        ops.file("environments/prod/group_vars/web.yml", "tls_enabled: true\nclient_url: x\n");
        ops.file("group_vars/web.yml", "workdir: w\ngit_repo: r\napi_port: 1\nclient_port: 2\ndomain_name: d\n");
        List<String> p = problems(false);
        assertTrue(p.contains("ops/ansible/environments/prod/secrets: required variable 'database_url' is not defined"
                + " (host prod.example.org); add it with: catalogue-ops secrets edit prod"), p.toString());
        assertTrue(p.contains("ops/ansible/environments/prod/group_vars/web.yml: required variable 'datapass_url' is not"
                + " defined (host prod.example.org); add it to this file"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("'letsencrypt_email' is not defined")), "TLS needs an email: " + p);
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void unencodedPasswordSaysWhichCharactersAndTheirEncoding() throws Exception {
        ops.secrets("prod", "secret_key: 'k'\ndatapass_client_id: 'x'\ndatapass_client_secret: 'y'\n"
                + "database_url: 'postgresql://app:mdp!des?caractèressp&ciaux@db:5432/cat'\n");
        List<String> p = problems(false);
        assertEquals(1, p.size(), p.toString());
        assertEquals("ops/ansible/environments/prod/secrets:4: the password in database_url has unencoded reserved"
                + " characters: '!' -> %21, '?' -> %3F, 'è' -> %C3%A8, '&' -> %26; percent-encode them, as the guide"
                + " demands (add --reveal to print the whole encoded URL)", p.get(0));
        assertFalse(p.get(0).contains("mdp"), "the password is not printed without --reveal");
        List<String> revealed = problems(true);
        assertTrue(revealed.get(0).endsWith("(encoded URL: postgresql://app:mdp%21des%3Fcaract%C3%A8ressp%26ciaux@db:5432/cat)"),
                revealed.get(0));
    }

    @Test
    void encodedPasswordWithAtSignPasses() throws Exception {
        assertTrue(DatabaseUrl.passwordProblem("postgresql://u:p%40ss%2Fw@h:5432/d").isEmpty());
        assertEquals("'@' -> %40", DatabaseUrl.passwordProblem("postgresql://u:p@ss@h/d").orElseThrow().encodings());
        assertEquals("'%' -> %25", DatabaseUrl.passwordProblem("postgresql://u:100%@h/d").orElseThrow().encodings());
        assertTrue(DatabaseUrl.shapeProblem("mysql://u:p@h/d").isPresent());
        assertTrue(DatabaseUrl.shapeProblem("not a url").isPresent());
    }

    @Test
    void wrongTypes() throws Exception {
        ops.file("group_vars/web.yml", "workdir: w\ngit_repo: r\napi_port: http\nclient_port: 70000\n"
                + "domain_name: d\nletsencrypt_email: e\n");
        ops.file("environments/prod/group_vars/web.yml", "tls_enabled: maybe\nclient_url: c\ndatapass_url: u\n");
        List<String> p = problems(false);
        assertTrue(p.contains("ops/ansible/group_vars/web.yml:3: api_port must be a port number from 1 to 65535, found 'http'"), p.toString());
        assertTrue(p.contains("ops/ansible/group_vars/web.yml:4: client_port must be a port number from 1 to 65535, found '70000'"), p.toString());
        assertTrue(p.contains("ops/ansible/environments/prod/group_vars/web.yml:1: tls_enabled must be true or false, found 'maybe'"), p.toString());
    }

    @Test
    void sharedPortsAreRefused() throws Exception {
        List<String> p = problemsWith("-e", "client_port=3579");
        assertEquals(List.of("-e on the command line: client_port and api_port are both 3579; give them different ports"), p);
    }

    @Test
    void theDeploysSidesNeedFourPortsAndItsSettingsMustParse() throws Exception {
        assertEquals(List.of("-e on the command line: api_alt_port and api_port are both 3579; the deploy's two sides need four"
                + " different ports (api_port, client_port, api_alt_port, client_alt_port)"), problemsWith("-e", "api_alt_port=3579"));
        assertEquals(List.of("-e on the command line: keep_releases must be a whole number, at least 1, found '0'"),
                problemsWith("-e", "keep_releases=0"));
        assertEquals(List.of("-e on the command line: deploy_standby must be true or false, found 'warm'"),
                problemsWith("-e", "deploy_standby=warm"));
        assertEquals(List.of(), problemsWith("-e", "deploy_standby=false"));
        assertEquals(List.of("-e on the command line: health_status must be <N (any status below N, e.g. <500) or a list of"
                + " statuses (200 or 200,204), found 'ok'"), problemsWith("-e", "health_status=ok"));
        assertEquals(List.of(), problemsWith("-e", "health_status=200,204"));
        assertEquals(List.of("-e on the command line: deploy_code must be push (this machine sends the commit's files) or pull"
                + " (the hosts fetch git_repo), found 'scp'"), problemsWith("-e", "deploy_code=scp"));
        assertEquals(List.of(), problemsWith("-e", "deploy_code=pull"));
    }

    private List<String> problemsWith(String flag, String value) throws Exception {
        Environment e = EnvironmentCatalogue.at(ops.opsDir()).environment("prod",
                new Environment.Options(new ExtraVars(List.of(value)), ops::vault, HostFacts.NONE, tmp));
        return EnvironmentCheck.run(e, false).stream().map(EnvironmentCheck.Problem::toString).toList();
    }

    @Test
    void templateProblemsAreReported() throws Exception {
        ops.file("environments/prod/group_vars/web.yml", "tls_enabled: false\nclient_url: \"{{ nope }}\"\ndatapass_url: u\n");
        List<String> p = problems(false);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("undefined variable 'nope'"), p.get(0));
    }

    @Test
    void missingInitdataFile() throws Exception {
        List<String> p = problemsWith("-e", "initdata_src={{ inventory_dir }}/assets/initdata.yml");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("initdata_src points to"), p.get(0));
    }

    @Test
    void wrongVaultPasswordIsOneProblem() throws Exception {
        Environment e = EnvironmentCatalogue.at(ops.opsDir()).environment("prod", new Environment.Options(ExtraVars.none(),
                () -> new fr.gouv.data.catalogue.ops.internal.vault.Vault(List.of(new fr.gouv.data.catalogue.ops.internal.vault.VaultSecret(
                        "default", "wrong".getBytes(), "pw"))), HostFacts.NONE, tmp));
        List<EnvironmentCheck.Problem> p = EnvironmentCheck.run(e, false);
        assertEquals(1, p.size());
        assertTrue(p.get(0).message().contains("decryption failed"), p.get(0).message());
    }
}
