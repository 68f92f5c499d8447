package fr.gouv.data.catalogue.ops.cli.badinput;

import static fr.gouv.data.catalogue.ops.cli.badinput.BadInput.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.cli.badinput.BadInput.Row;
import fr.gouv.data.catalogue.ops.internal.environment.YamlFile;
import fr.gouv.data.catalogue.ops.testing.OpsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** vault commands and the sources of vault passwords (files, scripts, ids). */
class VaultBadInputTest {
    @TempDir
    Path tmp;

    static final String PW = "--vault-password-file=ops/ansible/vault-password";

    /** The encrypt-string output decrypts to exactly {@code plain}. */
    static BadInput.Check encrypts(String plain) {
        return r -> {
            Object value = YamlFile.readMapping("v: " + r.cli().out, "output").values().get("v");
            byte[] vaultText = ((fr.gouv.data.catalogue.ops.internal.environment.VaultedValue) value).vaultText()
                    .getBytes(StandardCharsets.US_ASCII);
            assertEquals(plain, new String(r.ctx().ops().vault().decrypt(vaultText, "output").plaintext(), StandardCharsets.UTF_8));
        };
    }

    static Row script(String name, String script) {
        return row(name, "--vault-password-file", "pw.sh", "secrets", "view", "prod").setup(c -> c.executable("pw.sh", script));
    }

    static List<Row> rows() {
        return List.of(
                row("encrypt-string of '@file' encrypts the literal string", "vault", "encrypt-string", PW, "@kv.txt")
                        .setup(c -> c.write("kv.txt", "file contents\n")).exit(0).verify(encrypts("@kv.txt")),
                row("encrypt-string of '@DIR' is a string too", "vault", "encrypt-string", PW, "@ops")
                        .exit(0).verify(encrypts("@ops")),
                row("encrypt-string of an empty string", "vault", "encrypt-string", PW, "").says("empty", "give the value"),
                row("encrypt-string of an empty string after a good one", "vault", "encrypt-string", PW, "a", "")
                        .says("empty", "argument 2"),
                row("encrypt-string from empty stdin", "vault", "encrypt-string", PW).says("stdin was empty"),
                row("encrypt-string with more names than strings", "vault", "encrypt-string", PW, "-n", "a", "-n", "b", "x")
                        .says("more --name options"),
                row("--output is a directory", "vault", "encrypt", PW, "--output", "ops", "plain.txt")
                        .setup(c -> c.write("plain.txt", "x\n")).says("cannot write", "ops", "is a directory").never(".tmp"),
                row("--output in a missing folder", "vault", "encrypt", PW, "--output", "/proc/nope/x", "plain.txt")
                        .setup(c -> c.write("plain.txt", "x\n")).says("/proc/nope/x", "folder /proc/nope does not exist"),
                row("--output under a regular file", "vault", "encrypt", PW, "--output", "plain.txt/x", "plain.txt")
                        .setup(c -> c.write("plain.txt", "x\n")).says("plain.txt is not a folder"),
                row("--output where writing is refused, even to root", "vault", "encrypt", PW, "--output", "/sys/kernel/x.vault",
                        "plain.txt").setup(c -> c.write("plain.txt", "x\n")).exit(1)
                        .says("cannot write /sys/kernel/x.vault", "permission denied|read-only file system").never(".tmp"),
                row("encrypt-string --output is a directory", "vault", "encrypt-string", PW, "--output", "ops", "s")
                        .says("is a directory").never(".tmp"),
                row("--output with several inputs", "vault", "encrypt", PW, "--output", "x", "a", "b").says("--output takes one input"),
                row("view a missing file", "vault", "view", PW, "missing.txt").says("missing.txt does not exist", "check the path"),
                row("view a directory", "vault", "view", PW, "ops").says("is a directory"),
                row("encrypt a directory", "vault", "encrypt", PW, "ops").says("is a directory"),
                row("decrypt a plain file", "vault", "decrypt", PW, "plain.txt").setup(c -> c.write("plain.txt", "x\n"))
                        .exit(1).says("plain.txt is not vault-encrypted"),
                row("encrypt an encrypted file", "vault", "encrypt", PW, "ops/ansible/environments/prod/secrets")
                        .exit(1).says("already vault-encrypted"),
                row("view a truncated vault file", "vault", "view", PW, "cut.vault")
                        .setup(c -> c.write("cut.vault", c.ops().encrypt("hello").substring(0, 60))).exit(1).says("cut.vault"),
                row("rekey without the new password", "vault", "rekey", PW, "ops/ansible/environments/prod/secrets")
                        .says("rekey needs the new password"),
                script("password script that never ends", "#!/bin/sh\nexec sleep 120\n").env("CATALOGUE_VAULT_SCRIPT_TIMEOUT", "1")
                        .exit(1).says("pw.sh did not finish within 1 s", "run it by hand"),
                script("password script that is slow says what it waits for", "#!/bin/sh\nexec sleep 120\n")
                        .env("CATALOGUE_VAULT_SCRIPT_TIMEOUT", "3").exit(1).says("did not finish within 3 s")
                        .verify(r -> {
                            if (!r.cli().err.contains("catalogue-ops: waiting for vault password script " + r.ctx().path("pw.sh"))) {
                                throw new AssertionError("no word about the awaited script\n" + r.cli());
                            }
                        }),
                script("password script whose interpreter is missing", "#!/nonexistent/python3\nprint('pw')\n")
                        .says("pw.sh cannot run", "interpreter '/nonexistent/python3'", "fix the #! line").never("error=2"),
                script("password script that fails", "#!/bin/sh\nexit 3\n").exit(1).says("pw.sh failed with exit code 3"),
                script("password script that prints nothing", "#!/bin/sh\nexit 0\n").says("pw.sh is empty"),
                script("password script with the wrong password", "#!/bin/sh\necho wrong\n").exit(1).says("decryption failed"),
                script("password script that works", "#!/bin/sh\necho " + OpsFixture.PASSWORD + "\n").exit(0).says("secret_key: 'k3y'"),
                row("password file missing", "--vault-password-file", "nope", "secrets", "view", "prod").says("nope does not exist"),
                row("password file empty", "--vault-password-file", "empty", "secrets", "view", "prod")
                        .setup(c -> c.write("empty", "\n")).says("empty", "put the password in it"),
                row("password file is a directory", "--vault-password-file", "ops", "secrets", "view", "prod").says("is a directory"),
                row("password file option empty", "--vault-password-file", "", "secrets", "view", "prod")
                        .says("--vault-password-file is empty"),
                row("vault id without label", "--vault-id", "@pw", "secrets", "view", "prod").says("expected [LABEL@]FILE"),
                row("vault id without source", "--vault-id", "dev@", "secrets", "view", "prod").says("expected [LABEL@]FILE"),
                row("vault id prompt without terminal", "--vault-id", "dev@prompt", "secrets", "view", "prod").says("needs a terminal"),
                row("script timeout not a number", "secrets", "view", "prod").env("CATALOGUE_VAULT_SCRIPT_TIMEOUT", "soon")
                        .setup(c -> c.executable("ops/ansible/vault-password", "#!/bin/sh\necho x\n"))
                        .says("CATALOGUE_VAULT_SCRIPT_TIMEOUT=soon"),
                row("encrypt-vault-id unknown", "vault", "encrypt-string", PW, "--encrypt-vault-id", "nope", "s")
                        .says("no vault secret has that label"));
    }

    @TestFactory
    Stream<DynamicTest> table() {
        return BadInput.tests(tmp, rows());
    }
}
