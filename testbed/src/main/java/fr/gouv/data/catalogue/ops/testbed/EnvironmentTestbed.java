package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.DatabaseUrl;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.fs.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test hosts for an environment that already exists, such as the example {@code rehearsal}: its
 * inventory names hosts ENV-1..ENV-N at 10.213.X.11.. (the testbed's own scheme), so the hosts
 * are made at exactly those addresses; their keys are pinned in the environment's
 * {@code known_hosts}, and hosts of group {@code db} become the PostgreSQL server its
 * {@code database_url} names, open to the {@code web} hosts only.
 */
public final class EnvironmentTestbed {
    public static final String DB_GROUP = "db";

    private EnvironmentTestbed() {
    }

    /** The subnet's third octet the inventory's addresses call for, or why the inventory does not fit. */
    static int subnetOf(String envName, Map<String, String> addresses, String inventoryFile) throws ConfigException {
        if (addresses.isEmpty()) {
            throw new ConfigException(inventoryFile + ": no host; testbed up --for needs hosts " + envName + "-1..N");
        }
        Integer third = null;
        int index = 0;
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            index++;
            String expected = envName + "-" + index;
            if (!e.getKey().equals(expected)) {
                throw new ConfigException(inventoryFile + ": host " + e.getKey() + " should be named " + expected
                        + " (testbed up --for makes hosts " + envName + "-1.." + addresses.size() + ", in inventory order)");
            }
            String[] octets = e.getValue().split("\\.");
            boolean shaped = e.getValue().startsWith(Subnet.PREFIX) && octets.length == 4 && octets[2].matches("[0-9]{1,3}")
                    && octets[3].equals(String.valueOf(10 + index));
            int candidate = shaped ? Integer.parseInt(octets[2]) : -1;
            if (!shaped || candidate < 1 || candidate > 250 || (third != null && candidate != third)) {
                throw new ConfigException(inventoryFile + ": host " + expected + " has ansible_host " + e.getValue()
                        + "; testbed up --for needs 10.213.X." + (10 + index) + " with the same X (1 to 250) for every host");
            }
            third = candidate;
        }
        return third;
    }

    /** Brings up the hosts, pins their keys, provisions the database host(s). Undone on failure. */
    public static TestHosts up(Environment env) throws OpsException {
        String inventoryFile = env.inventoryFile().toString();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (var host : env.inventory().hosts()) {
            var vars = env.variablesWithoutSecrets(host.name());
            addresses.put(host.name(), vars.isDefined("ansible_host") ? String.valueOf(vars.get("ansible_host")) : host.name());
        }
        int third = subnetOf(env.name(), addresses, inventoryFile);
        List<String> dbHosts = env.inventory().hostsOf(DB_GROUP);
        DatabaseUrl.Parts database = null;
        if (!dbHosts.isEmpty()) {
            database = DatabaseUrl.parse(String.valueOf(env.variables(env.webHosts().get(0)).get("database_url")));
            if (!addresses.get(dbHosts.get(0)).equals(database.host())) {
                throw new ConfigException(env.name() + ": database_url names host " + database.host() + " but the [db]"
                        + " host " + dbHosts.get(0) + " is at " + addresses.get(dbHosts.get(0)) + "; make them agree");
            }
        }
        TestHosts hosts = TestHosts.create(env.name(), addresses.size(), true, third);
        try {
            AtomicFile.write(env.dir().resolve("known_hosts"), TestHosts.knownHostsLines(hosts.hosts()).getBytes(StandardCharsets.UTF_8),
                    AtomicFile.READABLE);
            if (database != null) {
                List<TestHost> clients = new ArrayList<>();
                for (String web : env.webHosts()) {
                    clients.add(hosts.host(indexOf(addresses, web)));
                }
                DatabaseHost.provision(hosts, hosts.host(indexOf(addresses, dbHosts.get(0))), clients, database.database(),
                        database.user(), database.password());
            }
            return hosts;
        } catch (OpsException | IOException | RuntimeException e) {
            hosts.close();
            if (e instanceof OpsException o) {
                throw o;
            }
            throw new TestbedException("cannot prepare the test hosts of " + env.name() + ": " + e.getMessage());
        }
    }

    private static int indexOf(Map<String, String> addresses, String host) {
        return new ArrayList<>(addresses.keySet()).indexOf(host);
    }
}
