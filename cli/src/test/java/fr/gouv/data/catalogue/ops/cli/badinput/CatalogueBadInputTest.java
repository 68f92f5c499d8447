package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The ops folder and its environments: odd folders, new environments with bad values, decommission. */
class CatalogueBadInputTest {
    @TempDir
    Path tmp;

    static final String ENVS = "ops/ansible/environments";

    static void removeTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    static Row newEnv(String name, String... options) {
        String[] args = new String[3 + options.length];
        args[0] = "env";
        args[1] = "new";
        args[2] = "demo";
        System.arraycopy(options, 0, args, 3, options.length);
        return row(name, args);
    }

    static List<Row> rows() {
        return List.of(
                row("--ops-dir empty", "--ops-dir", "", "env", "list").says("--ops-dir is empty"),
                row("--ops-dir empty for show", "--ops-dir=", "env", "show", "prod").says("--ops-dir is empty"),
                row("--ops-dir is a file", "--ops-dir", "ops/ansible/vault-password", "env", "list").says("is a file, not a folder"),
                row("--ops-dir missing", "--ops-dir", "/nonexistent", "env", "list").says("/nonexistent does not exist"),
                row("ops/ansible is a file", "env", "list").setup(c -> {
                    removeTree(c.path("ops/ansible"));
                    c.write("ops/ansible", "not a folder\n");
                }).says("ops/ansible is not a folder"),
                row("environments is a file: list", "env", "list").setup(c -> {
                    removeTree(c.path(ENVS));
                    c.write(ENVS, "x\n");
                }).says("environments is not a folder"),
                row("environments is a file: show", "env", "show", "prod").setup(c -> {
                    removeTree(c.path(ENVS));
                    c.write(ENVS, "x\n");
                }).says("environments is not a folder"),
                row("environments is a file: new", "env", "new", "demo", "--host", "demo.example.org").setup(c -> {
                    removeTree(c.path(ENVS));
                    c.write(ENVS, "x\n");
                }).says("environments is not a folder"),
                row("environments empty", "env", "list").setup(c -> removeTree(c.path(ENVS + "/prod")))
                        .says("no environment in", "env new NAME --host HOST"),
                row("environments missing", "env", "list").setup(c -> removeTree(c.path(ENVS)))
                        .says("no environments folder", "env new NAME --host HOST"),
                row("an environment that is a file", "env", "show", "prod").setup(c -> {
                    removeTree(c.path(ENVS + "/prod"));
                    c.write(ENVS + "/prod", "x\n");
                }).says("prod is not a folder"),
                row("a folder without inventory", "env", "show", "other").setup(c -> c.mkdir(ENVS + "/other/group_vars"))
                        .says("has no inventory", "hosts"),
                row("unknown environment", "env", "show", "nope").says("unknown environment 'nope'", "known: prod"),
                row("environment name with a path", "env", "show", "../etc").says("../etc"),
                newEnv("host that is not an address", "--host", "999.1.1.1").says("invalid host or domain '999.1.1.1'"),
                newEnv("host with three numbers", "--host", "1.2.3").says("invalid host or domain '1.2.3'"),
                newEnv("host with an empty label", "--host", "a..example.org").says("invalid host"),
                newEnv("host starting with a dash", "--host", "-web.example.org").says("invalid host|Unknown option"),
                newEnv("host with a space", "--host", "web example.org").says("invalid host"),
                newEnv("host with a numeric top-level label", "--host", "web.123").says("invalid host"),
                newEnv("host with a label too long", "--host", "a".repeat(64) + ".example.org").says("invalid host"),
                newEnv("host that is a bad IPv6 address", "--host", "1:2:3:4:5:6:7:8:9").says("invalid host"),
                newEnv("host with an underscore", "--host", "web_1.example.org").says("invalid host"),
                newEnv("domain that is not an address", "--host", "demo.example.org", "--domain", "300.0.0.1")
                        .says("invalid host or domain '300.0.0.1'"),
                newEnv("bad user", "--host", "demo.example.org", "--user", "Root!").says("invalid user 'Root!'"),
                row("new environment that exists", "env", "new", "prod", "--host", "x.example.org").says("already exists"),
                row("new environment with a bad name", "env", "new", "Bad", "--host", "x.example.org").says("Bad"),
                newEnv("good IPv6 address is accepted", "--host", "2001:db8::7").exit(0).says("created")
                        .changes(r -> {
                            if (!Files.readString(r.ctx().path(ENVS + "/demo/hosts")).contains("2001:db8::7")) {
                                throw new AssertionError(r.cli().toString());
                            }
                        }),
                row("decommission without --yes", "env", "decommission", "prod").says("refusing to decommission prod without --yes"),
                row("decommission of an unknown environment", "env", "decommission", "nope", "--yes").says("unknown environment"),
                row("decommission of a folder that cannot be fully removed", "env", "decommission", "prod", "--yes")
                        .setup(c -> Files.setPosixFilePermissions(c.path(ENVS + "/prod/group_vars"),
                                PosixFilePermissions.fromString("r-xr-xr-x")))
                        .skipAsRoot("root may delete in a read-only folder, and this machine offers no other way to refuse it")
                        .exit(1).says("group_vars is not writable", "nothing was removed"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
