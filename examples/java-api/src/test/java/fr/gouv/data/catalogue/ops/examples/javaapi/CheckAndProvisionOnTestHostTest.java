package fr.gouv.data.catalogue.ops.examples.javaapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.Testbed;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example run on a fresh test host, in check mode: it lists the environment, finds nothing
 * wrong with it, and reports what provisioning would change without failing or changing anything.
 */
@Testbed(hosts = 1)
class CheckAndProvisionOnTestHostTest {
    @TempDir
    Path tmp;

    @Test
    void checksThenProvisionsInCheckMode(TestHosts hosts) throws Exception {
        Path ops = tmp.resolve("ops/ansible");
        VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, TestbedEnvironment.ensureVaultPassword(ops));
        TestbedEnvironment.write(ops, hosts, new Vault(List.of(secret)), secret);
        String env = hosts.name();
        String host = hosts.host(0).name();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CheckAndProvision.run(new String[] {ops.toString(), env},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        String report = "exit " + code + "\nout:\n" + printed + "\nerr:\n" + err.toString(StandardCharsets.UTF_8);

        assertEquals(0, code, report);
        assertTrue(printed.startsWith("environments: " + env + "\nhosts of " + env + ": " + host + "\ncheck: OK\n"), report);
        assertTrue(printed.matches("(?s).*\nrecap:\n  " + host + "  ok=\\d+ changed=[1-9]\\d* failed=0 skipped=\\d+\n"),
                "a fresh host: changes to make, none failed\n" + report);
        assertTrue(printed.contains("  changed  " + host + " | nginx (latest): would: install nginx"), report);
        assertFalse(Files.exists(hosts.host(0).root().resolve("usr/sbin/nginx")), "check mode installed nothing");
    }
}
