package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrets edit} against every editor behaviour that could lose the secrets, and the secrets
 * file missing, plain or odd for {@code secrets view}, {@code env show} and {@code env check}.
 */
class SecretsEditBadInputTest {
    @TempDir
    Path tmp;

    static final String SECRETS = "ops/ansible/environments/prod/secrets";

    /** An editor that replaces the file's content. */
    static VaultEditor.Editor writes(byte[] content) {
        return file -> {
            try {
                Files.write(file, content);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    static VaultEditor.Editor writes(String content) {
        return writes(content.getBytes(StandardCharsets.UTF_8));
    }

    /** An editor that does something to the file itself (removes it, replaces it...). */
    interface FileAction {
        void apply(Path file) throws Exception;
    }

    static VaultEditor.Editor does(FileAction action) {
        return file -> {
            try {
                action.apply(file);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
    }

    static Row edit(String name, VaultEditor.Editor editor) {
        return row(name, "secrets", "edit", "prod").editor(editor);
    }

    static List<Row> rows() {
        String kept = "secret_key: 'k3y'\ndatabase_url: 'postgresql://app:p%40ss@db.example.org:5432/catalogue'\n";
        return List.of(
                edit("editor empties the file", writes("")).says("secrets", "empty", "erase every secret", "unchanged"),
                edit("editor leaves only blank lines", writes("\n\n  \n")).says("empty"),
                edit("editor leaves null", writes("null\n")).says("empty", "null document"),
                edit("editor leaves ~", writes("~\n")).says("null document"),
                edit("editor leaves comments only", writes("# all gone\n")).says("empty"),
                edit("editor leaves a list", writes("- secret_key\n- database_url\n")).says("expected a mapping", "found a list"),
                edit("editor leaves a scalar", writes("oops\n")).says("expected a mapping"),
                edit("editor leaves a map without the needed keys", writes("other: 1\n"))
                        .says("removes secrets the environment needs", "secret_key", "database_url", "--force"),
                edit("editor truncates the file", writes("secret_key: 'k3y'\n"))
                        .says("removes secrets", "database_url", "datapass_client_id", "--force"),
                edit("editor truncates mid-value", writes(kept + "datapass_client_id: 'i")).says("secrets:", "YAML syntax error"),
                edit("editor writes binary", writes(new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, 0, '\n'}))
                        .says("secrets:1", "not UTF-8"),
                edit("editor writes Latin-1 text", writes((kept + "note: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1)))
                        .says("secrets:3", "not UTF-8"),
                edit("editor writes an unknown tag", writes(kept + "datapass_client_id: !secret x\n"))
                        .says("unknown YAML tag '!secret'"),
                edit("editor writes !vault on a list", writes(kept + "datapass_client_id: !vault [a]\n")).says("!vault on a list"),
                edit("editor removes the file", does(Files::delete)).exit(1).says("the editor removed the file", "nothing was saved"),
                edit("editor replaces the file with a symbolic link", does(f -> {
                    Files.delete(f);
                    Files.createSymbolicLink(f, Path.of("/etc/hostname"));
                })).exit(1).says("symbolic link", "nothing was saved"),
                edit("editor replaces the file with a directory", does(f -> {
                    Files.delete(f);
                    Files.createDirectory(f);
                    Files.writeString(f.resolve("inside"), "secret_key: x\n");
                })).exit(1).says("not a file", "nothing was saved"),
                edit("editor leaves a swap file with the secrets", does(f -> {
                    Files.writeString(f.resolveSibling("." + f.getFileName() + ".swp"), Files.readString(f));
                    Files.writeString(f, "");
                })).says("empty"),
                edit("editor killed", VaultEditor.fromEnvironment(Map.of("EDITOR", "kill -9 $$ #")))
                        .exit(1).says("exited with code 137", "nothing was saved"),
                edit("editor missing", VaultEditor.fromEnvironment(Map.of("EDITOR", "/nonexistent/editor")))
                        .exit(1).says("exited with code 127", "nothing was saved"),
                edit("editor fails after writing", file -> {
                    writes("").open(file);
                    throw new OpsException("editor 'vi' exited with code 1; nothing was saved");
                }).exit(1).says("nothing was saved"),
                edit("editor changes nothing", does(f -> { })).exit(0).says("no change"),
                row("--force saves a map without needed keys", "secrets", "edit", "prod", "--force")
                        .editor(writes("other: 1\n")).exit(0).says("saved").changes(r -> assertEquals("other: 1\n",
                                new String(r.ctx().ops().vault().decrypt(Files.readAllBytes(r.ctx().path(SECRETS)), "s")
                                        .plaintext(), StandardCharsets.UTF_8))),
                row("--force still refuses an empty file", "secrets", "edit", "prod", "--force").editor(writes("")).says("empty"),
                row("secrets missing: view", "secrets", "view", "prod").setup(c -> c.delete(SECRETS))
                        .says("secrets does not exist", "env new").never("check the path"),
                row("secrets missing: edit", "secrets", "edit", "prod").setup(c -> c.delete(SECRETS))
                        .says("secrets does not exist", "env new").never("check the path"),
                row("secrets missing: show", "env", "show", "prod").setup(c -> c.delete(SECRETS)).says("secrets does not exist"),
                row("secrets is a directory: view", "secrets", "view", "prod").setup(c -> c.delete(SECRETS).mkdir(SECRETS))
                        .says("secrets is a directory"),
                row("secrets is a directory: edit", "secrets", "edit", "prod").setup(c -> c.delete(SECRETS).mkdir(SECRETS))
                        .says("secrets is a directory"),
                row("secrets not encrypted: view shows them and warns", "secrets", "view", "prod")
                        .setup(c -> c.write(SECRETS, kept)).exit(0)
                        .says("secret_key: 'k3y'", "warning", "not encrypted", "catalogue-ops vault encrypt"),
                row("secrets not encrypted: env check warns", "env", "check", "prod")
                        .setup(c -> c.write(SECRETS, kept + "datapass_client_id: id\ndatapass_client_secret: s\n")).exit(0)
                        .says("prod: OK", "warning: ", "secrets are not encrypted", "vault encrypt ops/ansible/environments/prod/secrets"),
                row("secrets not encrypted: env show masks and warns", "env", "show", "prod")
                        .setup(c -> c.write(SECRETS, kept)).exit(0).says("secret_key = ********", "not encrypted").never("k3y"),
                row("secrets not encrypted: edit refuses with the fix", "secrets", "edit", "prod")
                        .setup(c -> c.write(SECRETS, kept)).says("not encrypted", "vault encrypt"),
                row("secrets with another password", "--vault-password-file", "other-pw", "secrets", "edit", "prod")
                        .setup(c -> c.write("other-pw", "another\n"))
                        .exit(1).says("decryption failed"),
                row("secrets holding a list", "env", "show", "prod").setup(c -> c.secrets("- a\n")).says("secrets:1", "expected a mapping"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
