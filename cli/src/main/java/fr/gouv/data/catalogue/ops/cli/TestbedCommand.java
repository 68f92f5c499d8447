package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentName;
import fr.gouv.data.catalogue.ops.testbed.EnvironmentTestbed;
import fr.gouv.data.catalogue.ops.testbed.TestHost;
import fr.gouv.data.catalogue.ops.testbed.TestHosts;
import fr.gouv.data.catalogue.ops.testbed.TestbedEnvironment;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultPasswords;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code testbed}: disposable Debian hosts on this machine, to rehearse on. */
@Command(name = "testbed", mixinStandardHelpOptions = true,
        description = "Disposable Debian test hosts on this machine (network namespaces; needs root).",
        subcommands = {TestbedCommand.Up.class, TestbedCommand.ListTestbeds.class, TestbedCommand.Down.class})
final class TestbedCommand implements Runnable {
    @ParentCommand
    CatalogueOpsCommand root;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, root.session.out());
    }

    /** The ops folder to write into: --ops-dir, the one found upwards, or ./ops/ansible (created). */
    Path opsDir() {
        if (root.opsDir != null) {
            return root.session.resolve(root.opsDir);
        }
        try {
            return EnvironmentCatalogue.locate(root.session.cwd()).opsDir();
        } catch (ConfigException none) {
            return root.session.cwd().resolve(EnvironmentCatalogue.DEFAULT_OPS_DIR);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create test hosts and an environment folder for them (plain Ansible inventory, pinned"
                    + " known_hosts, group_vars, encrypted secrets). They stay until 'testbed down'.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        TestbedCommand testbed;

        @Option(names = "--hosts", paramLabel = "N", description = "How many hosts (default: 1).")
        Integer hosts;

        @Option(names = "--name", paramLabel = "NAME", description = "Name of the testbed and its environment (default: generated).")
        String name;

        @Option(names = "--for", paramLabel = "ENV", description = "Make the hosts an existing environment's inventory names"
                + " (ENV-1..N at 10.213.X.11..), pin their keys in its known_hosts, and make its [db] host the PostgreSQL"
                + " server its database_url names. E.g. the example environment 'rehearsal'.")
        String forEnvironment;

        @Override
        public Integer call() throws OpsException {
            if (forEnvironment != null) {
                return upFor();
            }
            int count = hosts == null ? 1 : hosts;
            PrintStream out = testbed.root.session.out();
            Path opsDir = testbed.opsDir();
            String run = name != null ? name : TestHosts.newName();
            TestHosts.checkRequest(run, count);
            EnvironmentName.check(run);
            TestHosts.checkPrerequisites();
            if (TestHosts.list().contains(run)) {
                throw new ConfigException("testbed " + run + " already exists; choose another --name, or remove it with:"
                        + " catalogue-ops testbed down " + run);
            }
            if (java.nio.file.Files.exists(opsDir.resolve("environments").resolve(run))) {
                throw new ConfigException("environment " + run + " already exists in " + opsDir.resolve("environments")
                        + "; choose another --name");
            }
            Path passwordFile = testbed.root.vaultPasswordFiles.isEmpty()
                    ? TestbedEnvironment.ensureVaultPassword(opsDir)
                    : testbed.root.session.resolve(testbed.root.vaultPasswordFiles.get(0));
            VaultSecret secret = VaultPasswords.fromFile(VaultSecret.DEFAULT_LABEL, passwordFile);
            out.println("creating " + count + " test host(s) for " + run + " (the first run builds the Debian image, a few minutes)...");
            TestHosts made = TestHosts.create(run, count, true);
            Path env;
            try {
                env = TestbedEnvironment.write(opsDir, made, new Vault(List.of(secret)), secret);
            } catch (OpsException e) {
                made.close();
                throw e;
            }
            for (TestHost h : made.hosts()) {
                out.println("  " + h.name() + "  " + h.address() + "  root, deploy (sudo), asker (sudo with password)");
            }
            out.println("environment " + run + ": " + env);
            out.println("try: catalogue-ops ping " + run + "    or: ansible -i " + env.resolve("hosts") + " web -m ping");
            out.println("remove with: catalogue-ops testbed down " + run);
            return Main.OK;
        }

        private int upFor() throws OpsException {
            if (name != null || hosts != null) {
                throw new ConfigException("--for takes the name and the hosts from the environment; drop --name and --hosts");
            }
            Environment env = testbed.root.environment(forEnvironment);
            TestHosts.checkPrerequisites();
            if (TestHosts.list().contains(env.name())) {
                throw new ConfigException("testbed " + env.name() + " already exists; remove it with: catalogue-ops testbed down "
                        + env.name());
            }
            PrintStream out = testbed.root.session.out();
            TestHosts made = EnvironmentTestbed.up(env);
            TestHosts.remember(env.name(), "environment.dir", env.dir().toAbsolutePath().toString());
            List<String> db = env.inventory().hostsOf(EnvironmentTestbed.DB_GROUP);
            for (TestHost h : made.hosts()) {
                out.println("  " + h.name() + "  " + h.address() + (db.contains(h.name()) ? "  PostgreSQL, open to " + String.join(", ",
                        env.webHosts()) : ""));
            }
            out.println("host keys pinned in " + env.dir().resolve("known_hosts"));
            out.println("remove with: catalogue-ops testbed down " + env.name());
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The testbeds on this machine.")
    static final class ListTestbeds implements Callable<Integer> {
        @ParentCommand
        TestbedCommand testbed;

        @Override
        public Integer call() {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "HOSTS", "SUBNET", "KEPT"});
            for (String n : TestHosts.list()) {
                Properties p = TestHosts.describe(n).orElse(new Properties());
                rows.add(new String[] {n, p.getProperty("hosts", "?"), p.getProperty("subnet", "?"),
                        Boolean.parseBoolean(p.getProperty("persistent")) ? "yes (testbed up)" : "no (a test run)"});
            }
            if (rows.size() == 1) {
                testbed.root.session.out().println("no testbed on this machine; create one with: catalogue-ops testbed up");
            } else {
                Table.print(testbed.root.session.out(), rows);
            }
            return Main.OK;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Destroy a testbed's hosts and the environment folder 'testbed up' wrote for it.")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        TestbedCommand testbed;

        @Parameters(index = "0", paramLabel = "NAME", description = "The testbed.")
        String name;

        @Override
        public Integer call() throws OpsException {
            if (!TestHosts.list().contains(name)) {
                throw new ConfigException("no testbed '" + name + "' on this machine (see: catalogue-ops testbed list)");
            }
            String adopted = TestHosts.describe(name).map(p -> p.getProperty("environment.dir")).orElse(null);
            TestHosts.destroy(name);
            List<String> left = TestHosts.leftovers(name);
            if (adopted != null) {
                try {
                    java.nio.file.Files.deleteIfExists(Path.of(adopted).resolve("known_hosts"));
                } catch (java.io.IOException e) {
                    throw new OpsException("cannot remove " + Path.of(adopted).resolve("known_hosts") + ": " + e.getMessage());
                }
            }
            boolean envRemoved = TestbedEnvironment.remove(testbed.opsDir(), name);
            testbed.root.session.out().println("testbed " + name + " destroyed" + (envRemoved ? ", environment folder removed" : ""));
            if (!left.isEmpty()) {
                throw new OpsException("testbed " + name + " left: " + String.join("; ", left) + "; run 'testbed down' again");
            }
            return Main.OK;
        }
    }
}
