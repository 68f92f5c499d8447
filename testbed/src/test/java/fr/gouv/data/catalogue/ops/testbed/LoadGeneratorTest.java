package fr.gouv.data.catalogue.ops.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fr.gouv.data.catalogue.ops.testbed.LoadGenerator.Mode;
import fr.gouv.data.catalogue.ops.testbed.LoadGenerator.Report;
import fr.gouv.data.catalogue.ops.testbed.LoadGenerator.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator against a local server that fails on purpose for a known set of requests
 * (by their arrival number), so that every count asserted is exact. Nothing here asserts a speed.
 */
class LoadGeneratorTest {
    static {
        // the JDK server writes a chunked answer in several small writes: with Nagle's algorithm and
        // the client's delayed ACK each keep-alive request would wait about 40 ms for nothing
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer server;
    private ExecutorService serverThreads;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger arrivals = new AtomicInteger();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    /**
     * The generator's defaults but a timeout no answer of the local server comes near, even on a
     * busy machine: a request that times out here is one the server holds on purpose.
     */
    private static Settings settings(URI url, int rate, Duration duration, Mode mode) {
        return Settings.of(url, rate, duration, mode).withTimeout(Duration.ofSeconds(10));
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    /** A server on 127.0.0.1 answering request number n (from 1, in arrival order) with status(n). */
    private URI serve(IntUnaryOperator status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> answer(exchange, status.applyAsInt(arrivals.incrementAndGet())));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/page?x=1");
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        exchange.getRequestBody().readAllBytes();
        if (status < 0) {
            // hold the answer until the test ends: the client's timeout must fire first
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = 200;
        }
        byte[] body = ("answer " + status).getBytes(StandardCharsets.UTF_8);
        if (status == 200) {
            exchange.sendResponseHeaders(status, 0); // chunked: the client must read the chunks to reuse the connection
        } else {
            exchange.sendResponseHeaders(status, body.length);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void keepAliveOnOneConnectionSeesExactlyTheFailedWindowAsOneRun() throws Exception {
        URI url = serve(n -> n >= 31 && n <= 40 ? 500 : 200);
        Settings settings = settings(url, 200, Duration.ofMillis(500), Mode.KEEP_ALIVE).withWorkers(1);
        Report r;
        try (LoadGenerator g = LoadGenerator.start(settings)) {
            r = g.await();
        }
        assertEquals(100, r.planned());
        assertEquals(100, r.sent());
        assertEquals(0, r.notSent());
        assertEquals(90, r.ok());
        assertEquals(10, r.failed());
        assertEquals(10, r.failureStatuses());
        assertEquals(0, r.connectionErrors());
        assertEquals(0, r.timeouts());
        assertEquals(Map.of(200, 90L, 500, 10L), r.statuses());
        assertEquals(Map.of("status 500", 10L), r.failureKinds());
        assertEquals(10, r.longestFailureRun());
        assertEquals(10.0, r.failedPercent());
        assertTrue(r.firstFailureSeconds() < r.lastFailureSeconds(), r.toString());
        assertTrue(r.outageSeconds() > 0, r.toString());
        assertEquals(1, clientPorts.size(), "every request went over the one persistent connection: " + clientPorts);
        assertEquals(100, arrivals.get());
    }

    @Test
    void newConnectionPerRequestCountsEveryFailedStatus() throws Exception {
        URI url = serve(n -> n % 10 == 0 ? 503 : 200);
        Report r;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 200, Duration.ofMillis(500), Mode.NEW_CONNECTION))) {
            r = g.await();
        }
        assertEquals(100, r.sent());
        assertEquals(90, r.ok());
        assertEquals(10, r.failed());
        assertEquals(Map.of(200, 90L, 503, 10L), r.statuses());
        assertEquals(100, clientPorts.size(), "one TCP connection per request");
    }

    @Test
    void separatedFailuresMakeRunsOfOne() throws Exception {
        URI url = serve(n -> n == 3 || n == 5 || n == 7 ? 502 : 200);
        Report r;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 100, Duration.ofMillis(100), Mode.KEEP_ALIVE).withWorkers(1))) {
            r = g.await();
        }
        assertEquals(10, r.sent());
        assertEquals(3, r.failed());
        assertEquals(1, r.longestFailureRun());
    }

    @Test
    void aStatusItIsToldIsAFailureFailsEvenWhenItIsARedirect() throws Exception {
        URI url = serve(n -> n <= 4 ? 302 : 200);
        Report told;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 200, Duration.ofMillis(100), Mode.KEEP_ALIVE).withWorkers(1)
                .withFailureStatuses(Set.of(302)))) {
            told = g.await();
        }
        assertEquals(20, told.sent());
        assertEquals(4, told.failed());
        assertEquals(4, told.failureStatuses());
        assertEquals(4, told.longestFailureRun());
        assertEquals(Map.of("status 302", 4L), told.failureKinds());

        arrivals.set(0);
        Report untold;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 200, Duration.ofMillis(100), Mode.KEEP_ALIVE).withWorkers(1))) {
            untold = g.await();
        }
        assertEquals(0, untold.failed(), "a redirect is an answer");
        assertNull(untold.firstFailureSeconds());
        assertEquals(0, untold.longestFailureRun());
        assertEquals(0.0, untold.outageSeconds());
    }

    @Test
    void clientErrorsFailToo() throws Exception {
        URI url = serve(n -> n == 2 ? 404 : 200);
        Report r;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 100, Duration.ofMillis(100), Mode.NEW_CONNECTION))) {
            r = g.await();
        }
        assertEquals(1, r.failed());
        assertEquals(Map.of("status 404", 1L), r.failureKinds());
    }

    @Test
    void anAnswerHeldPastTheTimeoutIsATimeout() throws Exception {
        URI url = serve(n -> n >= 5 && n <= 7 ? -1 : 200);
        Report r;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 100, Duration.ofMillis(200), Mode.NEW_CONNECTION)
                .withTimeout(Duration.ofSeconds(3)))) {
            r = g.await();
        }
        assertEquals(20, r.sent());
        assertEquals(3, r.timeouts());
        assertEquals(3, r.failed());
        assertEquals(Map.of("timeout", 3L), r.failureKinds());
        assertEquals(17, r.ok());
    }

    @Test
    void requestsDueWhileEveryWorkerIsHeldPastTheTimeoutAreSkippedNotSentInABurst() throws Exception {
        URI url = serve(n -> -1);
        Report r;
        try (LoadGenerator g = LoadGenerator.start(Settings.of(url, 100, Duration.ofSeconds(1), Mode.KEEP_ALIVE).withWorkers(1)
                .withTimeout(Duration.ofMillis(200)))) {
            r = g.await();
        }
        assertEquals(100, r.planned());
        assertEquals(100, r.sent() + r.skipped() + r.notSent());
        assertTrue(r.skipped() > 0, r.toString());
        assertEquals(r.sent(), r.timeouts(), "every request sent was held");
        assertEquals(r.sent(), r.longestFailureRun(), "skipped requests do not break a run of failures");
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Report r;
        try (LoadGenerator g = LoadGenerator.start(settings(URI.create("http://127.0.0.1:" + port + "/"), 100,
                Duration.ofMillis(200), Mode.NEW_CONNECTION))) {
            r = g.await();
        }
        assertEquals(20, r.sent());
        assertEquals(20, r.connectionErrors());
        assertEquals(Map.of("connection refused", 20L), r.failureKinds());
        assertEquals(20, r.longestFailureRun());
        assertEquals(100.0, r.failedPercent());
        assertTrue(r.outageSeconds() > 0);
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsAConnectionError() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> closeTheFirst(listener, 5), "test-server");
            t.setDaemon(true);
            t.start();
            Report r;
            try (LoadGenerator g = LoadGenerator.start(settings(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"),
                    100, Duration.ofMillis(200), Mode.KEEP_ALIVE).withWorkers(1))) {
                r = g.await();
            }
            assertEquals(20, r.sent());
            assertEquals(5, r.connectionErrors());
            assertEquals(5, r.longestFailureRun());
            assertEquals(Map.of("closed before the answer", 5L), r.failureKinds(), "each on a new connection");
            assertEquals(15, r.ok());
        }
    }

    @Test
    void aReusedConnectionClosedBeforeAByteOfTheAnswerIsRetriedOnceOnANewOne() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> answerOneThenCloseIdle(listener), "test-server");
            t.setDaemon(true);
            t.start();
            Report r;
            try (LoadGenerator g = LoadGenerator.start(settings(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"),
                    100, Duration.ofMillis(200), Mode.KEEP_ALIVE).withWorkers(1))) {
                r = g.await();
            }
            assertEquals(20, r.sent());
            assertEquals(0, r.failed(), r.toJson());
            assertEquals(20, r.ok());
            assertEquals(19, r.retriedOnNewConnection(), "every request after the first found its kept connection closed");
        }
    }

    /** Answers the first request of each connection (kept alive), then reads the next one and closes without a byte. */
    private static void answerOneThenCloseIdle(ServerSocket listener) {
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                InputStream in = s.getInputStream();
                readHead(in);
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                readHead(in);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads each request; closes the first {@code n} connections without answering, answers the rest with one 200 each. */
    private static void closeTheFirst(ServerSocket listener, int n) {
        int accepted = 0;
        while (!listener.isClosed()) {
            try (Socket s = listener.accept()) {
                accepted++;
                InputStream in = s.getInputStream();
                readHead(in);
                if (accepted > n) {
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
    }

    @Test
    void closeStopsALongRunEarlyAndLeavesNoThread() throws Exception {
        CountDownLatch twenty = new CountDownLatch(20);
        URI url = serve(n -> {
            twenty.countDown();
            return 200;
        });
        Report r;
        LoadGenerator g = LoadGenerator.start(settings(url, 100, Duration.ofSeconds(60), Mode.KEEP_ALIVE));
        try {
            assertTrue(twenty.await(30, TimeUnit.SECONDS));
        } finally {
            g.close();
        }
        r = g.report();
        assertEquals(6000, r.planned());
        assertTrue(r.sent() >= 20 && r.sent() < 6000, r.toString());
        assertEquals(r.planned() - r.sent(), r.notSent());
        assertEquals(r.sent(), r.ok());
        assertEquals(r.sent(), arrivals.get(), "every request sent was answered before close returned");
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("load-") && t.isAlive()),
                "no load thread left");
        g.close();
        assertEquals(r, g.report(), "close is idempotent");
    }

    @Test
    void reportIsOneJsonLine() throws Exception {
        URI url = serve(n -> n == 1 ? 500 : 200);
        String json;
        try (LoadGenerator g = LoadGenerator.start(settings(url, 100, Duration.ofMillis(100), Mode.KEEP_ALIVE).withWorkers(1))) {
            json = g.await().toJson();
        }
        assertFalse(json.contains("\n"));
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals("keep-alive", n.get("mode").asText());
        assertEquals(10, n.get("sent").asInt());
        assertEquals(1, n.get("failed").asInt());
        assertEquals(10.0, n.get("failedPercent").asDouble());
        assertEquals(9, n.get("statuses").get("200").asInt());
        assertEquals(1, n.get("failureKinds").get("status 500").asInt());
        assertEquals(1, n.get("longestFailureRun").asInt());
        for (String field : new String[] {"outageSeconds", "maxSendLagSeconds", "medianSeconds", "elapsedSeconds"}) {
            assertTrue(n.get(field).isNumber(), field + " in " + json);
        }
    }

    @Test
    void onlyThisMachineAndTestHostsAreTargets() throws Exception {
        assertTrue(LoadGenerator.allowedTarget(InetAddress.getByName("127.0.0.1")));
        assertTrue(LoadGenerator.allowedTarget(InetAddress.getByName("::1")));
        assertTrue(LoadGenerator.allowedTarget(InetAddress.getByName("10.213.42.11")));
        assertFalse(LoadGenerator.allowedTarget(InetAddress.getByName("10.214.42.11")));
        assertFalse(LoadGenerator.allowedTarget(InetAddress.getByName("192.0.2.1")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoadGenerator.start(
                Settings.of(URI.create("http://192.0.2.1/"), 100, Duration.ofSeconds(1), Mode.NEW_CONNECTION)));
        assertTrue(e.getMessage().contains("neither this machine's loopback nor a test host"), e.getMessage());
    }

    @Test
    void settingsAreBounded() {
        URI url = URI.create("http://127.0.0.1/");
        assertThrows(IllegalArgumentException.class, () -> Settings.of(url, 0, Duration.ofSeconds(1), Mode.KEEP_ALIVE));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(url, LoadGenerator.MAX_RATE + 1, Duration.ofSeconds(1),
                Mode.KEEP_ALIVE));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(url, 100, Duration.ofHours(2), Mode.KEEP_ALIVE));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(url, 100, Duration.ZERO, Mode.KEEP_ALIVE));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(url, 5000, Duration.ofMinutes(10), Mode.KEEP_ALIVE),
                "three million requests");
        assertThrows(IllegalArgumentException.class, () -> Settings.of(URI.create("https://127.0.0.1/"), 100,
                Duration.ofSeconds(1), Mode.KEEP_ALIVE));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(url, 100, Duration.ofSeconds(1), Mode.KEEP_ALIVE)
                .withWorkers(0));
        assertEquals(Mode.KEEP_ALIVE, Mode.of("keep-alive"));
        assertThrows(IllegalArgumentException.class, () -> Mode.of("pipelined"));
    }
}
