package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's build log masks the vault password the vault got, also when a password script gave it. */
class OpsRunTest {
    @TempDir
    Path tmp;

    @Test
    void aVaultPasswordScriptsOutputIsMasked() throws Exception {
        Path ops = tmp.resolve("workspace/ops/ansible");
        TestContext.copyTree(Path.of("../examples/ops/ansible"), ops);
        String password = Files.readString(ops.resolve("vault-password")).strip();
        Path script = ops.resolve("vault-password");
        // the script's text holds no line equal to the password: only what it prints is the password
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$(printf '%s' '" + new StringBuilder(password).reverse()
                + "' | rev)\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (TestContext ctx = new TestContext(tmp.resolve("workspace")).install()) {
            OpsSecrets none = new OpsSecrets();
            try (OpsRun run = OpsRun.open(ops, ctx.listener, none, Map.of())) {
                run.opsWithSecretsMasked("demo", null);
                run.log().println("the password was " + password);
            }
            assertTrue(ctx.log().contains("the password was " + MaskingStream.MASK), ctx.log());
            assertFalse(ctx.log().contains(password), ctx.log());
        }
    }

    /** Jenkins' step threads have core's class loader as context class loader; a run works with the plugin's (see HpiPackageTest). */
    @Test
    void aRunWorksWithThePluginsClassLoaderAsContextClassLoaderAndPutsTheOtherBack() throws Exception {
        Path ops = tmp.resolve("workspace/ops/ansible");
        TestContext.copyTree(Path.of("../examples/ops/ansible"), ops);
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        ClassLoader jenkinsCore = ClassLoader.getPlatformClassLoader();
        thread.setContextClassLoader(jenkinsCore);
        try (TestContext ctx = new TestContext(tmp.resolve("workspace")).install()) {
            try (OpsRun run = OpsRun.open(ops, ctx.listener, new OpsSecrets(), Map.of())) {
                assertTrue(thread.getContextClassLoader() == OpsRun.class.getClassLoader());
            }
            assertTrue(thread.getContextClassLoader() == jenkinsCore);
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
