package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Variable files, -e and templates: syntax, tags, numbers, encodings, secrets by name. */
class VariablesBadInputTest {
    @TempDir
    Path tmp;

    /** The environment's group_vars/web.yml as the fixture writes it (3 lines), then {@code more} from line 4. */
    static final String VARS = "ops/ansible/environments/prod/group_vars/web.yml";
    static final String BASE = "tls_enabled: true\nclient_url: \"https://{{ domain_name }}\"\n"
            + "datapass_url: \"https://datapass.example.org\"\n";

    static Row vars(String name, String more, String... args) {
        return row(name, args.length == 0 ? new String[] {"env", "check", "prod"} : args)
                .setup(c -> c.write(VARS, BASE + more));
    }

    static List<Row> rows() {
        return List.of(
                vars("unclosed {{", "a: \"{{ b \"\n").lines(2).says("web.yml:4", "unexpected end of template"),
                vars("unclosed {{ after text", "a: \"x-{{ domain_name\"\n").lines(2).says("web.yml:4", "unexpected end of template"),
                vars("unclosed {#", "a: \"{# note\"\n").lines(2).says("web.yml:4", "unexpected end of template", "'{#'"),
                vars("{% if %} without endif", "a: \"{% if tls_enabled %}x\"\n").lines(2).says("web.yml:4", "missing end tag"),
                vars("unknown tag in a template", "a: \"{% nosuchtag %}\"\n").lines(2).says("web.yml:4", "unknown tag"),
                vars("unknown filter", "a: \"{{ domain_name | nosuchfilter }}\"\n").lines(2)
                        .says("web.yml:4", "unknown filter nosuchfilter").never("undefined variable 'domain_name"),
                vars("unknown filter after a known one", "a: \"{{ domain_name | trim | frobnicate }}\"\n").lines(2)
                        .says("web.yml:4", "unknown filter frobnicate"),
                vars("expression syntax error", "a: \"{{ 1 + }}\"\n").lines(2).says("web.yml:4", "template error"),
                vars("undefined variable", "a: \"{{ nope }}\"\n").lines(2).says("web.yml:4", "undefined variable 'nope'"),
                vars("template loop", "a: \"{{ b }}\"\nb: \"{{ a }}\"\n").lines(3).says("template loop"),
                vars("duplicate key warns with both lines", "tls_enabled: false\n", "env", "show", "prod").exit(0)
                        .says("web.yml:4: duplicate key 'tls_enabled' (also at line 1)", "tls_enabled = false"),
                vars("duplicate nested key warns", "m:\n  x: 1\n  x: 2\n", "env", "show", "prod").exit(0)
                        .says("web.yml:6: duplicate key 'x' (also at line 5)"),
                vars("duplicate key in env check is a warning", "tls_enabled: true\n").exit(0)
                        .says("warning: ", "duplicate key 'tls_enabled'", "prod: OK"),
                vars("duplicate key in provision is a warning", "tls_enabled: false\n", "-e", "ansible_host=127.0.0.1",
                        "-e", "ansible_port=9", "provision", "prod", "--check").exit(1).lines(0)
                        .verify(r -> assertTrue(r.cli().err.contains("catalogue-ops: warning: " + VARS
                                + ":4: duplicate key 'tls_enabled'"), r.cli().err)),
                vars("!vault on a list", "a: !vault [1, 2]\n", "env", "show", "prod").says("web.yml:4", "!vault on a list"),
                vars("!vault on a mapping", "a: !vault {x: 1}\n", "env", "show", "prod").says("web.yml:4", "!vault on a mapping"),
                vars("unknown YAML tag", "a: !foo bar\n", "env", "show", "prod").says("web.yml:4", "unknown YAML tag '!foo'"),
                vars("unknown tag on a mapping", "a: !thing\n  x: 1\n", "env", "show", "prod").says("web.yml:4", "unknown YAML tag '!thing'"),
                vars("python object tag", "a: !!python/object:os.system x\n", "env", "show", "prod")
                        .says("web.yml:4", "tag", "python/object"),
                vars("integer past 2^63-1", "big: 99999999999999999999\n", "env", "show", "prod").exit(0)
                        .says("big = 99999999999999999999"),
                vars("negative integer past -2^63", "big: -99999999999999999999\n", "env", "show", "prod").exit(0)
                        .says("big = -99999999999999999999"),
                vars("big integer with underscores", "big: 1_000_000_000_000_000_000_000\n", "env", "show", "prod").exit(0)
                        .says("big = 1000000000000000000000"),
                vars("big integer as a port", "api_port: 99999999999999999999\n").lines(2)
                        .says("api_port must be a port number", "99999999999999999999"),
                vars("big integer does not break env list", "big: 99999999999999999999\n", "env", "list").exit(0)
                        .says("prod.example.org"),
                row("variables file not UTF-8", "env", "show", "prod")
                        .setup(c -> c.bytes(VARS, (BASE + "a: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1)))
                        .says("web.yml:4", "not UTF-8").never("\ufffd"),
                vars("variables file is a list", "", "env", "show", "prod").setup(c -> c.write(VARS, "- a\n- b\n"))
                        .says("web.yml:1", "expected a mapping"),
                vars("YAML syntax error", "a: [unclosed\n", "env", "show", "prod").says("web.yml", "YAML syntax error"),
                row("-e a secret's name is masked", "-e", "secret_key=abc123", "env", "show", "prod").exit(0)
                        .says("secret_key = ********").never("abc123"),
                row("-e a become password is masked", "-e", "ansible_become_password=hunter2", "env", "show", "prod").exit(0)
                        .says("ansible_become_password = ********").never("hunter2"),
                row("-e a custom secret of the secrets file is masked", "-e", "datapass_client_secret=leak", "env", "show", "prod")
                        .exit(0).says("datapass_client_secret = ********").never("leak"),
                row("-e value derived from a secret is masked", "-e", "x=pre-{{ secret_key }}", "env", "show", "prod").exit(0)
                        .says("x = ********").never("pre-k3y"),
                row("secret name in group_vars is masked", "env", "show", "prod")
                        .setup(c -> c.write(VARS, BASE + "sentry_dsn: https://key@sentry.example.org/1\n")).exit(0)
                        .says("sentry_dsn = ********").never("key@sentry"),
                row("-e inline mapping with a big integer", "-e", "{foo: 99999999999999999999}", "env", "show", "prod").exit(0)
                        .says("foo = 99999999999999999999"),
                row("-e inline mapping with a duplicate key", "-e", "{foo: 1, foo: 2}", "env", "show", "prod").exit(0)
                        .says("duplicate key 'foo'", "foo = 2"),
                row("-e inline mapping with a syntax error", "-e", "{a: [", "env", "show", "prod").says("-e", "YAML syntax error"),
                row("-e inline mapping with an unknown tag", "-e", "{a: !nope 1}", "env", "show", "prod").says("unknown YAML tag '!nope'"),
                row("-e bad variable name", "-e", "1abc=x", "env", "show", "prod").says("'1abc' is not a valid variable name"),
                row("-e unclosed quote", "-e", "a='open", "env", "show", "prod").says("no closing quotation mark"),
                row("-e without =", "-e", "justaword", "env", "show", "prod").says("expected key=value"),
                row("-e unclosed template", "-e", "a={{ b", "env", "check", "prod").lines(2).says("unexpected end of template"),
                vars("deploy_code neither push nor pull", "deploy_code: rsync\n").lines(2)
                        .says("web.yml:4", "deploy_code must be push (this machine sends the commit's files) or pull", "found 'rsync'"),
                vars("deploy_code pull is valid", "deploy_code: pull\n").exit(0).says("prod: OK"),
                row("deploy with deploy_code neither push nor pull", "-e", "deploy_code=git", "deploy", "prod")
                        .says("prod: deploy_code git is neither push", "nor pull (the hosts fetch git_repo)"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
