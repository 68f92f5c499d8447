package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Arguments as picocli reads them: {@code @file} stays a value, missing and unknown arguments. */
class CliArgumentsBadInputTest {
    @TempDir
    Path tmp;

    static List<Row> rows() {
        return List.of(
                row("-e @file with a space, as Ansible users write it", "-e", "@vars.yml", "env", "show", "prod")
                        .setup(c -> c.write("vars.yml", "from_file: hello\n")).exit(0).says("from_file = hello", "vars.yml:1"),
                row("-e @file.json", "env", "show", "prod", "-e", "@vars.json")
                        .setup(c -> c.write("vars.json", "{\"from_json\": 42}\n")).exit(0).says("from_json = 42"),
                row("-e@file without a space", "-e@vars.yml", "env", "show", "prod")
                        .setup(c -> c.write("vars.yml", "from_file: hi\n")).exit(0).says("from_file = hi"),
                row("-e @file holding picocli options is still YAML", "-e", "@args.yml", "env", "show", "prod")
                        .setup(c -> c.write("args.yml", "--reveal\n")).says("args.yml:1", "expected a mapping"),
                row("@file as the command is not expanded", "@args.txt").setup(c -> c.write("args.txt", "env\nlist\n"))
                        .says("@args.txt"),
                row("-e @missing file", "-e", "@missing.yml", "env", "show", "prod").says("missing.yml does not exist"),
                row("-e @DIR", "-e", "@ops", "env", "show", "prod").says("ops is a directory", "YAML or JSON file"),
                row("-e @ with no file", "-e", "@", "env", "show", "prod").says("no file after '@'"),
                row("-e @file not UTF-8", "-e", "@latin.yml", "env", "show", "prod")
                        .setup(c -> c.bytes("latin.yml", "a: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                        .says("latin.yml:1", "not UTF-8"),
                row("-e @file with a list", "-e", "@list.yml", "env", "show", "prod").setup(c -> c.write("list.yml", "- a\n"))
                        .says("list.yml:1", "expected a mapping"),
                row("vault encrypt-string @DIR", "vault", "encrypt-string", "--vault-password-file", "ops/ansible/vault-password",
                        "@/etc").exit(0).verify(VaultBadInputTest.encrypts("@/etc")),
                row("unknown option", "env", "list", "--bogus").says("Unknown option: '--bogus'", "--help"),
                row("unknown command", "redeploy", "prod").says("redeploy"),
                row("missing environment", "env", "show").says("Missing required parameter", "ENV"),
                row("missing --host", "env", "new", "demo").says("Missing required option", "--host"),
                row("too many arguments", "env", "show", "prod", "extra").says("Unmatched argument", "extra"),
                row("option without its value", "env", "show", "prod", "--host").says("Missing required parameter for option '--host'"),
                row("-e without its value", "env", "list", "-e").says("-e"),
                row("--ops-dir without its value", "env", "list", "--ops-dir").says("--ops-dir"),
                row("number option that is not a number", "ping", "prod", "--timeout", "soon").says("soon"),
                row("testbed hosts not a number", "testbed", "up", "--hosts", "two").says("two"),
                row("vault rekey without files", "vault", "rekey").says("Missing required parameter"),
                row("staging --remote without its value", "staging", "merge", "--remote").says("--remote"),
                row("arguments after secretkey", "secretkey", "extra").says("Unmatched argument"),
                // doctor
                row("doctor without an environment", "doctor").says("Missing required parameter", "ENV"),
                row("doctor of an unknown environment", "doctor", "nosuch").says("unknown environment 'nosuch'", "known: prod"),
                row("doctor with an unknown option", "doctor", "prod", "--yaml").says("Unknown option: '--yaml'"),
                row("doctor with two environments", "doctor", "prod", "staging").says("Unmatched argument", "staging"),
                row("doctor with a bad health_status", "-e", "health_status=fine", "doctor", "prod").says("health_status must be <N"),
                row("doctor with two sides on one port", "-e", "api_alt_port=3579", "-e", "api_port=3579", "doctor", "prod")
                        .says("must be four different ports"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
