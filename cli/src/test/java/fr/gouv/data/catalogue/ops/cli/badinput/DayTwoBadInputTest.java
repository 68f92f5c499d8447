package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * initdata and run: what is refused before any host is contacted (the fixture's host does not even
 * resolve), one line each, nothing changed.
 */
class DayTwoBadInputTest {
    @TempDir
    Path tmp;

    static final String VARS = VariablesBadInputTest.VARS;
    static final String INITDATA_SRC = "initdata_src: \"{{ inventory_dir }}/assets/initdata.yml\"\n";
    static final String ASSET = "ops/ansible/environments/prod/assets/initdata.yml";

    static Row initdata(String name, String vars, String... args) {
        String[] all = new String[2 + args.length];
        all[0] = "initdata";
        all[1] = "prod";
        System.arraycopy(args, 0, all, 2, args.length);
        return row(name, all).setup(c -> c.write(VARS, VariablesBadInputTest.BASE + vars));
    }

    static Row tools(String name, String tools, String... args) {
        return row(name, args).setup(c -> c.write(VARS, VariablesBadInputTest.BASE + tools));
    }

    static List<Row> rows() {
        return List.of(
                initdata("initdata without initdata_src", "").says("initdata_src is not defined",
                        "ops/ansible/environments/prod/group_vars/web.yml", "{{ inventory_dir }}/assets/initdata.yml", "--file"),
                initdata("initdata_src missing", INITDATA_SRC).says("web.yml:4: initdata_src points to", "initdata.yml",
                        "does not exist"),
                initdata("initdata_src a folder", INITDATA_SRC).setup(c -> {
                    c.write(VARS, VariablesBadInputTest.BASE + INITDATA_SRC);
                    c.mkdir(ASSET);
                }).says("initdata_src points to", "is a folder"),
                initdata("initdata_src not YAML", INITDATA_SRC).setup(c -> c.write(VARS, VariablesBadInputTest.BASE + INITDATA_SRC)
                        .write(ASSET, "users:\n  - password: [unclosed\n")).says("initdata.yml:3:", "not valid YAML")
                        .never("unclosed"),
                initdata("initdata_src a list", INITDATA_SRC).setup(c -> c.write(VARS, VariablesBadInputTest.BASE + INITDATA_SRC)
                        .write(ASSET, "- a\n")).says("initdata.yml", "must be a YAML mapping", "found a list"),
                initdata("initdata_src empty", INITDATA_SRC).setup(c -> c.write(VARS, VariablesBadInputTest.BASE + INITDATA_SRC)
                        .write(ASSET, "")).says("must be a YAML mapping", "an empty document"),
                initdata("initdata_src encrypted, not UTF-8 inside", INITDATA_SRC).setup(c -> {
                    c.write(VARS, VariablesBadInputTest.BASE + INITDATA_SRC);
                    c.bytes(ASSET, c.ops().vault().encrypt(new byte[] {(byte) 0xff, 'a'}, c.ops().secret()));
                }).says("initdata.yml", "not UTF-8"),
                initdata("initdata_src encrypted with another password", INITDATA_SRC).setup(c -> {
                    c.write(VARS, VariablesBadInputTest.BASE + INITDATA_SRC);
                    fr.gouv.data.catalogue.ops.internal.vault.VaultSecret other = new fr.gouv.data.catalogue.ops.internal.vault
                            .VaultSecret("default", "another-password".getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
                    c.bytes(ASSET, new fr.gouv.data.catalogue.ops.internal.vault.Vault(List.of(other))
                            .encrypt("users: []\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), other));
                }).exit(1).says("assets/initdata.yml", "decryption failed"),
                initdata("initdata --file missing", "", "--file", "nowhere.yml").says("nowhere.yml", "does not exist"),
                initdata("initdata --file empty", "", "--file", "").says("--file is empty"),
                initdata("initdata --file without its value", "", "--file").says("--file"),
                initdata("initdata --wait not a duration", INITDATA_SRC, "--wait=soon").says("--wait soon: not a duration"),
                row("initdata unknown environment", "initdata", "nosuch").says("nosuch"),
                row("initdata without environment", "initdata").says("Missing required parameter", "ENV"),
                row("run without a tool", "run", "prod").says("no TOOL given", "tools: dedupe-tags", "run prod --list"),
                row("run unknown tool", "run", "prod", "nosuch").says("prod: no tool named nosuch; tools: dedupe-tags"),
                tools("run unknown tool lists the declared ones too", "tools:\n  stats: [venv/bin/python, -m, tools.stats]\n",
                        "run", "prod", "nosuch").says("tools: dedupe-tags, stats"),
                row("run --list with a tool", "run", "prod", "dedupe-tags", "--list").says("run --list takes no TOOL"),
                row("run a tool's option without --", "run", "prod", "dedupe-tags", "--dry-run").says("Unknown option", "--dry-run"),
                row("run --wait not a duration", "run", "prod", "dedupe-tags", "--wait=soon").says("--wait soon: not a duration"),
                tools("run with tools not a mapping", "tools: [venv/bin/python]\n", "run", "prod", "dedupe-tags")
                        .says("web.yml:4", "tools must be a mapping"),
                tools("run --list with a tool that is not a list", "tools:\n  stats: venv/bin/python -m tools.stats\n",
                        "run", "prod", "--list").says("web.yml:4", "tools/stats must be a non-empty list"),
                tools("env check names a bad tool", "tools:\n  Stats: [x]\n  empty: []\n", "env", "check", "prod").lines(3)
                        .says("'Stats' is not a tool name", "tools/empty must be a non-empty list"),
                tools("run --list shows the declared tools", "tools:\n  stats: [venv/bin/python, -m, tools.stats]\n",
                        "run", "prod", "--list").exit(0).says("dedupe-tags", "tools.remove_duplicated_tags  (built in)",
                        "venv/bin/python -m tools.stats"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
