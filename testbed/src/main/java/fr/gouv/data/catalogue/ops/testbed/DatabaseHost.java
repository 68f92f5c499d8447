package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.DatabaseUrl;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ConnectionSettings;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.SshRemote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a test host the database server of an environment: Debian's PostgreSQL listening on the
 * test network, a role and a database, and {@code pg_hba.conf} letting in only the given client
 * hosts. Safe to repeat (the role's password is set again).
 */
public final class DatabaseHost {
    /** A database on a test host; {@link #url()} is what {@code database_url} holds. */
    public record Database(String address, int port, String name, String role, String password) {
        /** postgresql://ROLE:PASSWORD@ADDRESS:PORT/NAME with the password percent-encoded, as the guide demands. */
        public String url() {
            return "postgresql://" + DatabaseUrl.encodeUserinfo(role) + ":" + DatabaseUrl.encodeUserinfo(password) + "@"
                    + address + ":" + port + "/" + name;
        }
    }

    /** A password with the characters that break URLs and shells, for rehearsing the guide's warning. */
    public static final String HOSTILE_PASSWORD = "p@ss:w/rd?#[]%&+='\"é $";

    private DatabaseHost() {
    }

    /** One database for one role; see {@link #provision(TestHosts, TestHost, List, List, String, String)}. */
    public static Database provision(TestHosts hosts, TestHost server, List<TestHost> clients, String name, String role,
                                     String password) throws OpsException {
        return provision(hosts, server, clients, List.of(name), role, password).get(0);
    }

    /** Databases owned by one role, reachable over the network from {@code clients} only. */
    public static List<Database> provision(TestHosts hosts, TestHost server, List<TestHost> clients, List<String> names,
                                           String role, String password) throws OpsException {
        for (String name : names) {
            if (!name.matches("[a-z_][a-z0-9_]*") || !role.matches("[a-z_][a-z0-9_]*")) {
                throw new fr.gouv.data.catalogue.ops.ConfigException("database '" + name + "' and role '" + role
                        + "' must be lower-case SQL identifiers ([a-z_][a-z0-9_]*)");
            }
        }
        try (SshRemote remote = SshRemote.connect(ConnectionSettings.of(server.name(), "root", List.of(hosts.privateKey()),
                List.of(hosts.knownHosts())).withAddress(server.address(), TestHost.SSH_PORT))) {
            run(remote, installCommand(), Duration.ofMinutes(10));
            String version = run(remote, Command.of("sh", "-c", "ls /etc/postgresql | sort -n | tail -1"),
                    Duration.ofSeconds(30)).stdout().strip();
            String etc = "/etc/postgresql/" + version + "/main";
            remote.upload(("listen_addresses = 'localhost," + server.address() + "'\n").getBytes(StandardCharsets.UTF_8),
                    etc + "/conf.d/testbed.conf", "0644", "postgres:postgres", null);
            remote.upload(hba(names, role, clients).getBytes(StandardCharsets.UTF_8), etc + "/pg_hba.conf", "0640",
                    "postgres:postgres", null);
            run(remote, Command.of("pg_ctlcluster", version, "main", "restart"), Duration.ofMinutes(1));
            run(remote, Command.of("psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", "postgres").become("postgres")
                    .withStdin(setupSql(names, role, password).getBytes(StandardCharsets.UTF_8)), Duration.ofMinutes(1));
        }
        return names.stream().map(n -> new Database(server.address(), 5432, n, role, password)).toList();
    }

    static Command installCommand() {
        return Command.of("sh", "-c", "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
                + " --no-install-recommends postgresql");
    }

    /** Local connections as Debian has them; over the network, this database and role from the clients only. */
    static String hba(List<String> names, String role, List<TestHost> clients) {
        StringBuilder hba = new StringBuilder("""
                # Written by the catalogue-ops testbed (DatabaseHost).
                local   all             postgres                                peer
                local   all             all                                     peer
                host    all             all             127.0.0.1/32            scram-sha-256
                """);
        for (TestHost client : clients) {
            hba.append("host    ").append(String.join(",", names)).append("    ").append(role).append("    ").append(client.address())
                    .append("/32    scram-sha-256\n");
        }
        return hba.toString();
    }

    /** SQL for psql's standard input (the password never appears on a command line). */
    static String setupSql(List<String> names, String role, String password) {
        String literal = "'" + password.replace("'", "''") + "'";
        List<String> sql = new ArrayList<>();
        sql.add("SELECT 'CREATE ROLE " + role + " LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
                + role + "')\\gexec");
        sql.add("ALTER ROLE " + role + " LOGIN PASSWORD " + literal + ";");
        for (String name : names) {
            sql.add("SELECT 'CREATE DATABASE " + name + " OWNER " + role + "' WHERE NOT EXISTS (SELECT 1 FROM pg_database"
                    + " WHERE datname = '" + name + "')\\gexec");
        }
        return String.join("\n", sql) + "\n";
    }

    private static ExecResult run(SshRemote remote, Command command, Duration limit) throws OpsException {
        ExecResult r = remote.exec(command.withTimeout(limit));
        if (!r.ok()) {
            throw new TestbedException(remote.host() + ": `" + command + "` failed (exit " + r.exitCode() + "): "
                    + lastLine(r.stderr().isBlank() ? r.stdout() : r.stderr()));
        }
        return r;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }
}
