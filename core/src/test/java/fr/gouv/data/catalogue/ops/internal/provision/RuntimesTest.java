package fr.gouv.data.catalogue.ops.internal.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runtime tasks' commands and texts, exactly: no host needed. */
class RuntimesTest {
    @Test
    void cloneIsMadeBesideThePlaceAndRenamedIntoIt() {
        assertEquals(List.of("sh", "-c", "set -e; [ ! -e \"$1\" ] || { echo \"$1 exists but is not a complete clone; move it away"
                + " and provision again\" >&2; exit 1; }; rm -rf \"$1.partial\"; git clone --quiet --depth 1 --branch \"$2\""
                + " -- \"$3\" \"$1.partial\"; mv \"$1.partial\" \"$1\"", "sh", "/home/deploy/.pyenv", "v2.2.3",
                "https://git.example.test/pyenv.git"),
                Runtimes.cloneCommand("/home/deploy/.pyenv", "https://git.example.test/pyenv.git", "v2.2.3").argv());
    }

    @Test
    void cloneSummaryHidesCredentials() {
        assertEquals("clone https://***@git.example.test/nvm.git at v0.39.1 into /root/.nvm",
                Runtimes.clone("/root/.nvm", "https://ci:t0ken@git.example.test/nvm.git", "v0.39.1").summary());
        assertEquals("git://10.0.0.1:9418/x.git", Urls.withoutCredentials("git://10.0.0.1:9418/x.git"));
        assertEquals("https://host/a@b", Urls.withoutCredentials("https://host/a@b"));
        assertEquals("/srv/git/x.git", Urls.withoutCredentials("/srv/git/x.git"));
    }

    @Test
    void pyenvInstallPassesTheMirrorOnlyWhenSet() {
        assertEquals(List.of("env", "PYENV_ROOT=/root/.pyenv", "PYTHON_BUILD_MIRROR_URL=http://mirror.test/python",
                "/root/.pyenv/bin/pyenv", "install", "--skip-existing", "3.8.9"),
                Runtimes.pyenvInstallCommand("/root", "3.8.9", "http://mirror.test/python").argv());
        assertEquals(List.of("env", "PYENV_ROOT=/root/.pyenv", "/root/.pyenv/bin/pyenv", "install", "--skip-existing", "3.8.9"),
                Runtimes.pyenvInstallCommand("/root", "3.8.9", null).argv());
    }

    @Test
    void nvmInstallSourcesNvmAndPassesTheVersionAsAnArgument() {
        assertEquals(List.of("env", "NVM_DIR=/home/d/.nvm", "NVM_NODEJS_ORG_MIRROR=http://mirror.test/node", "bash", "-c",
                ". \"$NVM_DIR/nvm.sh\" && nvm install \"$1\"", "bash", "v16.15.1"),
                Runtimes.nvmInstallCommand("/home/d", "v16.15.1", "http://mirror.test/node").argv());
    }

    @Test
    void nodeLinksPointIntoNvmsFolderWithOrWithoutTheV() {
        Map<String, String> expected = Map.of("/usr/local/bin/node", "/root/.nvm/versions/node/v16.15.1/bin/node",
                "/usr/local/bin/npm", "/root/.nvm/versions/node/v16.15.1/bin/npm");
        assertEquals(expected, Runtimes.nodeLinks("/root", "v16.15.1"));
        assertEquals(expected, Runtimes.nodeLinks("/root", "16.15.1"));
        assertEquals(List.of("ln", "-sfn", "--", "/t", "/usr/local/bin/node"), Symlink.linkCommand("/t", "/usr/local/bin/node").argv());
    }

    @Test
    void managedBlockIsAppendedOnceAndReplacedInPlace() {
        ManagedBlock block = new ManagedBlock("pyenv", ". \"$HOME/.pyenv/.pyenvrc\"\n");
        String appended = block.applyTo("alias ll='ls -l'");
        assertEquals("alias ll='ls -l'\n# BEGIN ANSIBLE MANAGED BLOCK pyenv\n. \"$HOME/.pyenv/.pyenvrc\"\n"
                + "# END ANSIBLE MANAGED BLOCK pyenv\n", appended);
        assertEquals(appended, block.applyTo(appended), "a second time changes nothing");

        String old = "a\n# BEGIN ANSIBLE MANAGED BLOCK pyenv\nold line\n# END ANSIBLE MANAGED BLOCK pyenv\nb\n";
        assertEquals("a\n# BEGIN ANSIBLE MANAGED BLOCK pyenv\n. \"$HOME/.pyenv/.pyenvrc\"\n# END ANSIBLE MANAGED BLOCK pyenv\nb\n",
                block.applyTo(old), "replaced where it is, the rest kept");
        assertEquals("# BEGIN ANSIBLE MANAGED BLOCK pyenv\n. \"$HOME/.pyenv/.pyenvrc\"\n# END ANSIBLE MANAGED BLOCK pyenv\n",
                block.applyTo(""));

        ManagedBlock nvm = new ManagedBlock("nvm", "export NVM_DIR=\"$HOME/.nvm\"\n");
        String both = nvm.applyTo(appended);
        assertEquals(both, block.applyTo(both), "two blocks live side by side");
        assertEquals(both, nvm.applyTo(both));
    }

    @Test
    void homeFileProbeTellsAbsentFromEmpty() {
        assertEquals(List.of("sh", "-c", "[ -e \"$1\" ] || exit 3; cat -- \"$1\"", "sh", "/root/.bashrc"),
                HomeFile.probeCommand("/root/.bashrc").argv());
    }

    @Test
    void theRecipesTagListIsExactlyTheTagsItsTasksCarry(@org.junit.jupiter.api.io.TempDir java.nio.file.Path ops) throws Exception {
        java.util.Set<String> carried = new java.util.TreeSet<>();
        ProvisionRecipe.play(new Templates(ops)).tasks().forEach(t -> carried.addAll(t.tags()));
        assertEquals(carried, ProvisionRecipe.TAGS);
    }
}
