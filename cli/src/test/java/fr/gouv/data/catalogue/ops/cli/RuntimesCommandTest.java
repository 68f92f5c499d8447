package fr.gouv.data.catalogue.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.testbed.RuntimeMirror;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original's runtimes, pyenv and nvm, installed on a fresh test host from a mirror this
 * machine serves (git clones, {@code PYTHON_BUILD_MIRROR_URL}, {@code NVM_NODEJS_ORG_MIRROR}):
 * check mode changes nothing, a first run installs, a second changes nothing.
 */
class RuntimesCommandTest {
    @TempDir
    Path tmp;

    @Test
    void installsPyenvAndNvmFromALocalMirror() throws Exception {
        TestbedExtension.requireRoot();
        String name = TestHosts.newName();
        String opsDir = tmp.resolve("ops/ansible").toString();
        CliRun cli = new CliRun(tmp);
        try {
            assertEquals(0, cli.run("--ops-dir", opsDir, "testbed", "up", "--hosts", "1", "--name", name).exitCode, cli.toString());
            TestHosts hosts = TestHosts.attach(name);
            TestHost host = hosts.host(0);
            try (RuntimeMirror mirror = RuntimeMirror.start(hosts)) {
                String[] vars = {"--ops-dir", opsDir, "-e", "python_runtime=pyenv", "-e", "node_runtime=nvm",
                        "-e", "pyenv_git_url=" + mirror.pyenvGitUrl(), "-e", "nvm_git_url=" + mirror.nvmGitUrl(),
                        "-e", "python_build_mirror_url=" + mirror.pythonBuildMirrorUrl(),
                        "-e", "nvm_nodejs_org_mirror=" + mirror.nodeMirrorUrl(),
                        // pyenv's real list is a C toolchain; the stand-in Python needs make alone
                        "-e", "pyenv_build_packages=make,curl,git,ca-certificates"};
                String[] run = {"provision", name, "--tags", "runtimes"};

                cli.run(CliRun.concat(CliRun.concat(vars, run), "--check"));
                assertEquals(0, cli.exitCode, cli.toString());
                assertTrue(cli.out.contains("would: clone " + mirror.pyenvGitUrl() + " at v2.2.3 into /root/.pyenv"), cli.out);
                assertTrue(cli.out.contains("would: pyenv install " + RuntimeMirror.PYTHON_VERSION + " (~/.pyenv/versions/"), cli.out);
                assertTrue(cli.out.contains("would: nvm install " + RuntimeMirror.NODE_VERSION), cli.out);
                assertFalse(Files.exists(host.root().resolve("root/.pyenv")), "check mode cloned nothing");
                assertFalse(Files.exists(host.root().resolve("root/.nvm")));

                cli.run(CliRun.concat(vars, run));
                assertEquals(0, cli.exitCode, cli.toString());
                assertEquals(RuntimeMirror.NODE_VERSION + "\n", TestbedCommandTest.ClientSsh.run(hosts, host, "node --version"));
                assertEquals(RuntimeMirror.NPM_VERSION + "\n", TestbedCommandTest.ClientSsh.run(hosts, host, "npm --version"));
                assertEquals("/root/.nvm/versions/node/" + RuntimeMirror.NODE_VERSION + "/bin/node",
                        Files.readSymbolicLink(host.root().resolve("usr/local/bin/node")).toString());
                assertEquals("42\n", TestbedCommandTest.ClientSsh.run(hosts, host,
                        "~/.pyenv/versions/" + RuntimeMirror.PYTHON_VERSION + "/bin/python -c 'print(6 * 7)'"));
                assertEquals(RuntimeMirror.PYTHON_VERSION + "\n", Files.readString(host.root().resolve("root/.pyenv/version")));
                assertEquals(RuntimeMirror.PYTHON_VERSION + "\n", TestbedCommandTest.ClientSsh.run(hosts, host,
                        "bash -c '. ~/.pyenv/.pyenvrc && pyenv global'"));
                String bashrc = Files.readString(host.root().resolve("root/.bashrc"));
                assertTrue(bashrc.contains("# BEGIN ANSIBLE MANAGED BLOCK pyenv\n. \"$HOME/.pyenv/.pyenvrc\"\n"
                        + "# END ANSIBLE MANAGED BLOCK pyenv\n"), bashrc);
                assertTrue(bashrc.contains("# BEGIN ANSIBLE MANAGED BLOCK nvm\nexport NVM_DIR=\"$HOME/.nvm\"\n"), bashrc);
                List<String> asked = mirror.httpRequests();
                assertTrue(asked.stream().anyMatch(p -> p.matches("/python/[0-9a-f]{64}")), "Python by checksum: " + asked);
                assertTrue(asked.contains("/node/" + RuntimeMirror.NODE_VERSION + "/node-" + RuntimeMirror.NODE_VERSION
                        + "-linux-x64.tar.gz"), asked.toString());

                cli.run(CliRun.concat(vars, run));
                assertEquals(0, cli.exitCode, cli.toString());
                assertTrue(cli.out.matches("(?s).*\n" + name + "-1 +ok=\\d+ +changed=0 +failed=0 .*"), "second run: " + cli.out);
                assertEquals(asked.size(), mirror.httpRequests().size(), "nothing downloaded again");

                // a runtime this tool does not know: a clear per-host error
                cli.run("--ops-dir", opsDir, "provision", name, "--tags", "runtimes", "-e", "python_runtime=conda");
                assertEquals(1, cli.exitCode, cli.toString());
                assertTrue(cli.out.contains("python_runtime: 'conda' is not a runtime this tool installs; write one of pyenv,"
                        + " system in group_vars"), cli.out);
            }
        } finally {
            TestHosts.destroy(name);
        }
    }
}
