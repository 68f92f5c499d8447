package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Waits for a service to answer, with an error naming what was expected where. */
final class Readiness {
    private Readiness() {
    }

    static void waitForPort(String host, int port, long timeoutMillis, String what) throws TestbedException {
        waitFor(host, port, timeoutMillis, what, null);
    }

    /** Waits until the port answers with a line starting with {@code banner} (e.g. "SSH-2.0"). */
    static void waitFor(String host, int port, long timeoutMillis, String what, String banner) throws TestbedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                if (banner == null) {
                    return;
                }
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64];
                int n = in.read(buf);
                if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith(banner)) {
                    return;
                }
                last = "answered without " + banner;
            } catch (IOException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestbedException("interrupted while waiting for " + what);
            }
        }
        throw new TestbedException(what + " at " + host + ":" + port + " not ready after " + timeoutMillis + " ms (" + last + ")");
    }
}
