package fr.gouv.data.catalogue.ops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client as the deploy builds it: {@code npm ci}, {@code npm run build}, {@code node ./build}. */
class ClientBuildTest {
    static final Path APP = Path.of("catalogue-app").toAbsolutePath();

    @TempDir
    Path tmp;

    static String run(Path dir, List<String> argv, String... env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), argv + " timed out");
        assertEquals(0, p.exitValue(), argv + " failed:\n" + out);
        return out;
    }

    @Test
    void ciBuildTestAndServe() throws Exception {
        Path client = tmp.resolve("client");
        for (String f : List.of("package.json", "package-lock.json", "scripts/build.js", "src/index.js", "src/page.js",
                "test/page.test.js")) {
            Files.createDirectories(client.resolve(f).getParent());
            Files.copy(APP.resolve("client").resolve(f), client.resolve(f));
        }
        Files.writeString(tmp.resolve(".env"), "APP_PORT=3579\nVITE_API_SSR_URL=\"http://127.0.0.1:9\"\n");
        run(client, List.of("npm", "ci", "--no-audit", "--no-fund"));
        assertTrue(run(client, List.of("npm", "run", "build")).contains("built build (1 VITE_ settings)"));
        assertTrue(Files.readString(client.resolve("build/config.json")).contains("\"VITE_API_SSR_URL\": \"http://127.0.0.1:9\""),
                "the .env of the working directory is read at build time, as Vite does");
        assertTrue(run(client, List.of("npm", "test")).contains("# fail 0"));

        int port = freePort();
        ProcessBuilder pb = new ProcessBuilder("node", "./build").directory(client.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("client.log").toFile());
        pb.environment().put("HOST", "127.0.0.1");
        pb.environment().put("PORT", String.valueOf(port));
        Process node = pb.start();
        node.getOutputStream().close();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            awaitPort(http, port);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(502, page.statusCode(), "no API behind it: said, not hidden");
            assertTrue(page.body().contains("API indisponible"), page.body());
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }

        // an API on 127.0.0.1 only, named "localhost" (which may resolve to ::1 first), as the playbook's .env does
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/datasets", json("[{\"id\": \"d1\", \"title\": \"Budget\", \"tags\": [\"finances\"]}]"));
        api.createContext("/health", json("{\"status\": \"ok\", \"version\": \"abc\", \"migration\": \"0001\"}"));
        api.start();
        pb.environment().put("VITE_API_SSR_URL", "http://localhost:" + api.getAddress().getPort());
        node = pb.start();
        node.getOutputStream().close();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            awaitPort(http, port);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("<strong>Budget</strong> <span class=\"tag\">finances</span>")
                    && page.body().contains("api abc · migration 0001"), page.body());
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
            api.stop(0);
        }
    }

    private static HttpHandler json(String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        };
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(HttpClient http, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("nothing listens on 127.0.0.1:" + port);
    }
}
