package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Inventories (hosts, hosts.yml): encodings, ranges, numbers, missing or odd files. */
class InventoryBadInputTest {
    @TempDir
    Path tmp;

    private static final String HOSTS = "ops/ansible/environments/prod/hosts";

    static Row hosts(String name, String content, String... args) {
        return row(name, args.length == 0 ? new String[] {"env", "show", "prod"} : args)
                .setup(c -> c.write(HOSTS, content));
    }

    static List<Row> rows() {
        return List.of(
                row("hosts not UTF-8", "env", "show", "prod")
                        .setup(c -> c.bytes(HOSTS, "[web]\nprod.example.org\ncaf\u00e9 ok\n\u00ff\u00fe\n".getBytes(StandardCharsets.ISO_8859_1)))
                        .says("hosts:3", "not UTF-8", "save the file as UTF-8").never("Input length"),
                hosts("integer past 2^63-1 on a host line", "[web]\nprod.example.org ansible_user=root big=99999999999999999999\n")
                        .exit(0).says("big = 99999999999999999999"),
                hosts("integer past 2^63-1 in [web:vars]", "[web]\nprod.example.org\n[web:vars]\nbig=-99999999999999999999\n")
                        .exit(0).says("big = -99999999999999999999"),
                hosts("big integer does not break env list", "[web]\nprod.example.org\n[web:vars]\nbig=99999999999999999999\n",
                        "env", "list").exit(0).says("prod.example.org"),
                hosts("a range of a hundred million hosts", "[web]\nweb[1:100000000].example.org\n")
                        .says("hosts:2", "100000000 hosts", "limit of 10000"),
                hosts("two ranges multiplying past the limit", "[web]\nweb[1:200]-[1:100]\n")
                        .says("hosts:2", "20000 hosts", "limit of 10000"),
                hosts("a range bound too large for a number", "[web]\nweb[1:99999999999]\n").says("hosts:2", "too large"),
                hosts("letter and number mixed", "[web]\nweb[a:9]\n")
                        .says("hosts:2", "letters and numbers cannot be mixed"),
                hosts("number and letter mixed", "[web]\nweb[9:a]\n").says("hosts:2", "letters and numbers cannot be mixed"),
                hosts("negative range bound", "[web]\nweb[-1:3]\n").says("hosts:2", "'-1' is not a number"),
                hosts("step zero", "[web]\nweb[1:3:0]\n").says("hosts:2", "positive step"),
                hosts("two-letter bound", "[web]\nweb[a:zz]\n").says("hosts:2", "'a' is not a number or a single letter"),
                hosts("range without end", "[web]\nweb[1:]\n").says("hosts:2", "has no end"),
                hosts("unclosed range", "[web]\nweb[1:3\n").says("hosts:2", "unclosed '['"),
                hosts("reversed range", "[web]\nweb[5:1]\n").says("hosts:2", "begin <= end"),
                hosts("port that is not a number", "[web]\nprod.example.org:22x\n").says("hosts:2", "not a port number"),
                hosts("unclosed section header", "[web\nprod.example.org\n").says("hosts:1", "invalid section header"),
                hosts("unknown section type", "[web:bogus]\n").says("hosts:1", "unknown type 'bogus'"),
                hosts("vars line without =", "[web]\nprod.example.org\n[web:vars]\njustakey\n").says("hosts:4", "expected key=value"),
                hosts("unclosed quote in host vars", "[web]\nprod.example.org a=\"open\n").says("hosts:2", "no closing quotation"),
                hosts("children naming an unknown group", "[web:children]\nnope\n").says("hosts:2", "undefined group 'nope'"),
                hosts("empty inventory", "").says("hosts", "no host", "add the service's host under [web]"),
                hosts("comments only", "# nothing yet\n; still nothing\n").says("hosts", "no host"),
                hosts("[web] without hosts", "[web]\n[db]\ndb.example.org\n").says("hosts", "no host in group [web]"),
                hosts("a host not in the inventory", "[web]\nprod.example.org\n", "env", "show", "prod", "--host", "other")
                        .says("host 'other' is not in the inventory"),
                row("hosts missing", "env", "show", "prod").setup(c -> c.delete(HOSTS))
                        .says("has no inventory", "create", "hosts").never("unknown environment"),
                row("hosts is a directory", "env", "show", "prod").setup(c -> c.delete(HOSTS).mkdir(HOSTS))
                        .says("hosts is a directory").never("unknown environment"),
                row("hosts is a symbolic link loop", "env", "check", "prod").setup(c -> c.delete(HOSTS).link(HOSTS, "hosts"))
                        .says("symbolic link", "loop").never("unknown environment"),
                row("hosts is a dangling link", "env", "show", "prod").setup(c -> c.delete(HOSTS).link(HOSTS, "nowhere"))
                        .says("symbolic link", "target is missing"),
                row("broken hosts among several environments: env list", "env", "list")
                        .setup(c -> c.mkdir("ops/ansible/environments/broken/hosts"))
                        .says("broken", "is a directory").verify(r -> {
                            if (!r.cli().out.matches("(?s).*\\nprod +root@prod\\.example\\.org .*")) {
                                throw new AssertionError("the good environment is still listed\n" + r.cli());
                            }
                        }),
                row("YAML inventory with an unknown tag", "env", "show", "prod")
                        .setup(c -> c.delete(HOSTS).write(HOSTS + ".yml", "all:\n  hosts:\n    prod.example.org:\n      x: !foo 1\n"))
                        .says("hosts.yml:4", "unknown YAML tag '!foo'"),
                row("YAML inventory with a big integer", "env", "show", "prod")
                        .setup(c -> c.delete(HOSTS).write(HOSTS + ".yml", "all:\n  hosts:\n    prod.example.org:\n      n: 123456789012345678901234\n"))
                        .exit(0).says("n = 123456789012345678901234"),
                row("YAML inventory with a huge range", "env", "show", "prod")
                        .setup(c -> c.delete(HOSTS).write(HOSTS + ".yml", "all:\n  hosts:\n    web[0:99999]:\n"))
                        .says("hosts.yml:3", "limit of 10000"),
                row("YAML inventory not UTF-8", "env", "show", "prod")
                        .setup(c -> c.delete(HOSTS).bytes(HOSTS + ".yml", "all:\n  hosts:\n    h\u00e9:\n".getBytes(StandardCharsets.ISO_8859_1)))
                        .says("hosts.yml:3", "not UTF-8"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
