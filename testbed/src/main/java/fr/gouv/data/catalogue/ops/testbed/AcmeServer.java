package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A local ACME server for real certificates on test hosts: Debian's {@code pebble} on the
 * testbed's gateway address, validating HTTP-01 challenges against the test host whose address
 * {@code pebble-challtestsrv} gives for every name. certbot on the host trusts pebble's own
 * certificate through {@link #caBundle()} (its {@code acme_ca_bundle}); the certificates pebble
 * issues chain to {@link #issuingRoot()}, which an HTTPS client trusts alone to prove them.
 */
public final class AcmeServer implements AutoCloseable {
    static final int ACME_PORT = 14000;
    static final int MANAGEMENT_PORT = 15000;
    static final int DNS_PORT = 8053;

    private final Path dir;
    private final String gateway;
    private final BackgroundProcesses processes = new BackgroundProcesses();

    private AcmeServer(Path dir, String gateway) {
        this.dir = dir;
        this.gateway = gateway;
    }

    /** Starts pebble for the hosts of a testbed; every name resolves to {@code target}'s address. */
    public static AcmeServer start(TestHosts hosts, TestHost target) throws TestbedException {
        return start(hosts, target, null);
    }

    /**
     * As {@link #start(TestHosts, TestHost)}, issuing certificates valid for {@code validity} only
     * (null: pebble's default, 5 years): to see certificates near their expiry.
     */
    public static AcmeServer start(TestHosts hosts, TestHost target, java.time.Duration validity) throws TestbedException {
        for (String tool : List.of("pebble", "pebble-challtestsrv", "openssl")) {
            if (!LocalCommand.available(tool)) {
                throw new TestbedException("missing " + tool + " for the local ACME server; run scripts/install-prerequisites");
            }
        }
        String gw = hosts.subnet().gateway();
        Path dir = hosts.dir().resolve("acme");
        AcmeServer server = new AcmeServer(dir, gw);
        try {
            Files.createDirectories(dir);
            LocalCommand.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                    "-days", "2", "-subj", "/CN=catalogue-ops test ACME server", "-addext", "subjectAltName=IP:" + gw), 30);
            Files.writeString(dir.resolve("pebble.json"), config(gw, dir, validity));
            server.spawn(List.of("pebble-challtestsrv", "-defaultIPv4", target.address(), "-defaultIPv6", "",
                    "-dns01", gw + ":" + DNS_PORT, "-http01", "", "-https01", "", "-tlsalpn01", "",
                    "-management", gw + ":8055"), "challtestsrv.log");
            server.spawn(List.of("pebble", "-config", dir.resolve("pebble.json").toString(), "-dnsserver", gw + ":" + DNS_PORT),
                    "pebble.log");
            Readiness.waitForPort(gw, ACME_PORT, 20_000, "pebble on " + gw);
            Readiness.waitForPort(gw, MANAGEMENT_PORT, 20_000, "pebble's management API on " + gw);
            LocalCommand.run(List.of("curl", "-sS", "--fail", "--cacert", dir.resolve("cert.pem").toString(), "-o",
                    dir.resolve("issuing-root.pem").toString(), "https://" + gw + ":" + MANAGEMENT_PORT + "/roots/0"), 30);
            return server;
        } catch (IOException | TestbedException | RuntimeException e) {
            server.close();
            throw e instanceof TestbedException t ? t : new TestbedException("cannot start pebble: " + e.getMessage());
        }
    }

    static String config(String gw, Path dir) {
        return config(gw, dir, null);
    }

    static String config(String gw, Path dir, java.time.Duration validity) {
        return "{\"pebble\": {\"listenAddress\": \"" + gw + ":" + ACME_PORT + "\", \"managementListenAddress\": \"" + gw + ":"
                + MANAGEMENT_PORT + "\", \"certificate\": \"" + dir.resolve("cert.pem") + "\", \"privateKey\": \""
                + dir.resolve("key.pem") + "\", \"httpPort\": 80, \"tlsPort\": 443, \"ocspResponderURL\": \"\","
                + " \"externalAccountBindingRequired\": false"
                + (validity == null ? "" : ", \"certificateValidityPeriod\": " + validity.toSeconds()) + "}}\n";
    }

    private void spawn(List<String> argv, String log) throws IOException {
        processes.start(argv, Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0"), dir.resolve(log));
    }

    /** The ACME directory, for {@code acme_server}. */
    public String directoryUrl() {
        return "https://" + gateway + ":" + ACME_PORT + "/dir";
    }

    /** pebble's own certificate (PEM), what certbot must trust to talk to it. */
    public Path caBundle() {
        return dir.resolve("cert.pem");
    }

    /** The root the issued certificates chain to (PEM). */
    public Path issuingRoot() {
        return dir.resolve("issuing-root.pem");
    }

    @Override
    public void close() {
        processes.close();
    }
}
