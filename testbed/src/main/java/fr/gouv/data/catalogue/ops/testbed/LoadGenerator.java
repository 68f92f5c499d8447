package fr.gouv.data.catalogue.ops.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of HTTP GET requests against one URL on this machine or on a test host, to see
 * what a deploy costs the people using the site: how many requests failed, how, and for how long.
 *
 * <p>Requests are due at a fixed rate from the start (open loop: a slow answer does not slow the
 * stream down, up to the number of workers), for a bounded duration or until {@link #close()}.
 * {@link Mode#NEW_CONNECTION} opens a TCP connection per request (what most visitors cost a
 * server); {@link Mode#KEEP_ALIVE} sends every request over a few persistent connections (what
 * browsers and proxies do), reconnecting when one breaks.
 *
 * <p>A request is OK when it is answered 2xx or 3xx with a status not listed as a failure; it
 * fails on any other status, on a connection error (refused, reset, closed before the answer) and
 * on a timeout. Requests are numbered in the order they were due; the longest run of consecutive
 * failed numbers is the outage.
 *
 * <p>The HTTP client is a few lines over a socket on purpose: the JDK's clients pool connections
 * and retry on their own, which would hide exactly the failures this measures. It retries in one
 * case only, the one HTTP allows every client and browsers take (RFC 9112, 9.3.1): a request sent
 * on a reused keep-alive connection that the server closed before a byte of the answer came (a
 * server closes idle keep-alive connections whenever it likes, nginx at every reload) is sent
 * once more on a new connection; it counts as failed only if that fails too, and the report
 * counts these retries ({@code retriedOnNewConnection}).
 */
public final class LoadGenerator implements AutoCloseable {
    /** How requests reach the server. */
    public enum Mode {
        NEW_CONNECTION("new-connection"), KEEP_ALIVE("keep-alive");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Mode of(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode '" + label + "': new-connection or keep-alive");
        }
    }

    /** The upper bounds that keep a run finite and its bookkeeping small. */
    public static final int MAX_RATE = 5_000;
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    public static final int MAX_REQUESTS = 1_000_000;
    public static final int MAX_WORKERS = 256;

    /** How often an idle worker looks whether the run is ending. */
    static final long IDLE_POLL_MILLIS = 250;

    /**
     * What to run.
     *
     * @param workers in {@link Mode#NEW_CONNECTION} the requests in flight at most; in
     *                {@link Mode#KEEP_ALIVE} the persistent connections
     * @param timeout for a whole request: connect, send, answer
     * @param failureStatuses statuses that fail even though they are 2xx or 3xx
     */
    public record Settings(URI url, int ratePerSecond, Duration duration, Mode mode, int workers, Duration timeout,
                           Set<Integer> failureStatuses) {
        public Settings {
            if (url == null || !"http".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalArgumentException("url '" + url + "': an http:// URL with a host");
            }
            if (ratePerSecond < 1 || ratePerSecond > MAX_RATE) {
                throw new IllegalArgumentException("rate " + ratePerSecond + ": 1 to " + MAX_RATE + " requests per second");
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("duration " + duration + ": more than 0, at most " + MAX_DURATION);
            }
            if (workers < 1 || workers > MAX_WORKERS) {
                throw new IllegalArgumentException("workers " + workers + ": 1 to " + MAX_WORKERS);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout " + timeout + ": more than 0");
            }
            failureStatuses = Set.copyOf(failureStatuses);
            if (planned(ratePerSecond, duration) > MAX_REQUESTS) {
                throw new IllegalArgumentException(ratePerSecond + " requests/s for " + duration + " is more than "
                        + MAX_REQUESTS + " requests");
            }
        }

        /**
         * 200 requests in flight for a new connection each (2 s of requests at 100 per second), 4
         * persistent connections otherwise; 2 s per request.
         */
        public static Settings of(URI url, int ratePerSecond, Duration duration, Mode mode) {
            return new Settings(url, ratePerSecond, duration, mode, mode == Mode.NEW_CONNECTION ? 200 : 4,
                    Duration.ofSeconds(2), Set.of());
        }

        public Settings withWorkers(int n) {
            return new Settings(url, ratePerSecond, duration, mode, n, timeout, failureStatuses);
        }

        public Settings withTimeout(Duration t) {
            return new Settings(url, ratePerSecond, duration, mode, workers, t, failureStatuses);
        }

        public Settings withFailureStatuses(Set<Integer> statuses) {
            return new Settings(url, ratePerSecond, duration, mode, workers, timeout, statuses);
        }

        /** How many requests a full run sends: one every 1/rate s over the duration. */
        public long planned() {
            return planned(ratePerSecond, duration);
        }

        private static long planned(int rate, Duration d) {
            return Math.max(1, (long) Math.floor(d.toNanos() / 1e9 * rate));
        }
    }

    /**
     * What a run saw. Times are seconds since the start; {@code outageSeconds} is the longest run
     * of consecutive failed requests, from the first one's sending to the sending of the request
     * after it (the first one seen OK again), or to the end of the last failed one if none came
     * after. {@code maxSendLagSeconds} is how late a request left after it was due (every worker
     * busy): much more than the interval means the server could not keep up; a request that would
     * leave later than one timeout is {@code skipped} instead (not sent, neither OK nor failed).
     * {@code notSent} were not due yet when the run was stopped. {@code medianSeconds} is the
     * median time of a request, answered or not.
     */
    public record Report(String mode, String url, int ratePerSecond, long planned, long sent, long skipped, long notSent,
                         long ok,
                         long failed, long failureStatuses, long connectionErrors, long timeouts,
                         Map<Integer, Long> statuses, Map<String, Long> failureKinds, Double firstFailureSeconds,
                         Double lastFailureSeconds, long longestFailureRun, double outageSeconds,
                         double maxSendLagSeconds, double medianSeconds, double elapsedSeconds, long retriedOnNewConnection) {
        public double failedPercent() {
            return sent == 0 ? 0 : 100.0 * failed / sent;
        }

        /** One line of JSON, for scripts. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("url", url);
            m.put("rate", ratePerSecond);
            m.put("planned", planned);
            m.put("sent", sent);
            m.put("skipped", skipped);
            m.put("notSent", notSent);
            m.put("ok", ok);
            m.put("failed", failed);
            m.put("failedPercent", Math.round(failedPercent() * 100) / 100.0);
            m.put("failureStatuses", failureStatuses);
            m.put("connectionErrors", connectionErrors);
            m.put("timeouts", timeouts);
            m.put("statuses", statuses);
            m.put("failureKinds", failureKinds);
            m.put("firstFailureSeconds", firstFailureSeconds);
            m.put("lastFailureSeconds", lastFailureSeconds);
            m.put("longestFailureRun", longestFailureRun);
            m.put("outageSeconds", round3(outageSeconds));
            m.put("maxSendLagSeconds", round3(maxSendLagSeconds));
            m.put("medianSeconds", round3(medianSeconds));
            m.put("elapsedSeconds", round3(elapsedSeconds));
            m.put("retriedOnNewConnection", retriedOnNewConnection);
            try {
                return new ObjectMapper().writeValueAsString(m);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static double round3(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }

    // outcomes, per request number
    private static final int PENDING = 0;
    private static final int OK = 1;
    private static final int BAD_STATUS = 2;
    private static final int CONNECTION_ERROR = 3;
    private static final int TIMEOUT = 4;
    private static final int SKIPPED = 5;

    private final Settings settings;
    private final InetSocketAddress address;
    private final String hostHeader;
    private final String target;
    private final int total;
    // written by the workers, read by whoever summarizes (a worker may still be stuck then)
    private final AtomicLongArray sentAt;
    private final AtomicLongArray endedAt;
    private final AtomicIntegerArray outcome;
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
    private final LongAdder retried = new LongAdder();
    private final LinkedBlockingQueue<Integer> due = new LinkedBlockingQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean dispatchDone = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final long start;
    private volatile long end;
    private Report report;

    private LoadGenerator(Settings settings, InetAddress resolved) {
        this.settings = settings;
        URI url = settings.url();
        int port = url.getPort() == -1 ? 80 : url.getPort();
        this.address = new InetSocketAddress(resolved, port);
        this.hostHeader = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + port;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        this.total = (int) settings.planned();
        this.sentAt = new AtomicLongArray(total);
        this.endedAt = new AtomicLongArray(total);
        this.outcome = new AtomicIntegerArray(total);
        for (int i = 0; i < total; i++) {
            sentAt.set(i, -1);
        }
        this.start = System.nanoTime();
    }

    /**
     * Starts sending. Refuses a host that is neither this machine (loopback) nor a test host
     * (10.213.0.0/16): load is only ever sent where nobody else is served.
     */
    public static LoadGenerator start(Settings settings) throws UnknownHostException {
        InetAddress resolved = InetAddress.getByName(settings.url().getHost());
        if (!allowedTarget(resolved)) {
            throw new IllegalArgumentException(settings.url().getHost() + " (" + resolved.getHostAddress() + ") is neither"
                    + " this machine's loopback nor a test host (" + Subnet.PREFIX + "0.0/16); load goes nowhere else");
        }
        LoadGenerator g = new LoadGenerator(settings, resolved);
        g.begin();
        return g;
    }

    static boolean allowedTarget(InetAddress a) {
        return a.isLoopbackAddress() || (a instanceof Inet4Address && a.getHostAddress().startsWith(Subnet.PREFIX));
    }

    private void begin() {
        Thread dispatcher = new Thread(this::dispatch, "load-dispatch");
        threads.add(dispatcher);
        for (int i = 0; i < settings.workers(); i++) {
            threads.add(new Thread(this::work, "load-" + i));
        }
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** When request {@code n} is due, in nanoseconds since the start. */
    private long dueAt(int n) {
        return (long) (n * 1e9 / settings.ratePerSecond());
    }

    private void dispatch() {
        try {
            for (int i = 0; i < total && !stopping.get(); i++) {
                long dueAt = start + dueAt(i);
                for (long wait = dueAt - System.nanoTime(); wait > 0 && !stopping.get(); wait = dueAt - System.nanoTime()) {
                    LockSupport.parkNanos(this, wait);
                }
                if (!stopping.get()) {
                    due.add(i);
                }
            }
        } finally {
            dispatchDone.set(true);
        }
    }

    private void work() {
        Connection connection = null;
        try {
            while (!stopping.get()) {
                // idle workers wake a few times a second only: 200 of them polling every 20 ms cost a
                // quarter of a core per generator, which the site under test then lacked
                Integer n = due.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (n == null) {
                    if (dispatchDone.get() && due.isEmpty()) {
                        return;
                    }
                    continue;
                }
                long now = System.nanoTime() - start;
                if (now - dueAt(n) > settings.timeout().toNanos()) {
                    // every worker was busy for longer than a request may take: sending it now would
                    // make a burst no visitor makes; it is reported as skipped
                    outcome.set(n, SKIPPED);
                    continue;
                }
                sentAt.set(n, now);
                if (connection != null && !connection.reusable) {
                    connection.close();
                    connection = null;
                }
                boolean reused = connection != null;
                try {
                    if (connection == null) {
                        connection = connect();
                    }
                    int status;
                    try {
                        status = connection.get();
                    } catch (IOException e) {
                        if (!reused || connection.answerStarted || e instanceof SocketTimeoutException) {
                            throw e;
                        }
                        // closed by the server while idle, before a byte of the answer: as every client may
                        retried.increment();
                        connection = closed(connection);
                        reused = false;
                        connection = connect();
                        status = connection.get();
                    }
                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    boolean good = status >= 200 && status < 400 && !settings.failureStatuses().contains(status);
                    finish(n, good ? OK : BAD_STATUS, good ? null : "status " + status);
                } catch (SocketTimeoutException e) {
                    finish(n, TIMEOUT, connection == null ? "connect timeout" : "timeout");
                    connection = closed(connection);
                } catch (IOException e) {
                    finish(n, CONNECTION_ERROR, kindOf(e, reused));
                    connection = closed(connection);
                }
                if (settings.mode() == Mode.NEW_CONNECTION) {
                    connection = closed(connection);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed(connection);
        }
    }

    private void finish(int n, int result, String kind) {
        endedAt.set(n, System.nanoTime() - start);
        if (kind != null) {
            kinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }
        outcome.set(n, result);
    }

    private static Connection closed(Connection c) {
        if (c != null) {
            c.close();
        }
        return null;
    }

    static String kindOf(IOException e, boolean reused) {
        String suffix = reused ? " (reused connection)" : "";
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException) {
            return message.contains("refused") ? "connection refused" : "cannot connect";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof EOFException) {
            return "closed before the answer" + suffix;
        }
        if (e instanceof SocketException && (message.contains("reset") || message.contains("broken pipe"))) {
            return "connection reset" + suffix;
        }
        if (e instanceof MalformedAnswer) {
            return "malformed answer";
        }
        return "connection error (" + e.getClass().getSimpleName() + ")" + suffix;
    }

    private Connection connect() throws IOException {
        Socket s = new Socket();
        open.add(s);
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) Math.max(1, settings.timeout().toMillis()));
            return new Connection(s);
        } catch (IOException e) {
            open.remove(s);
            s.close();
            throw e;
        }
    }

    /** Ends the run at once: requests in flight finish or time out; {@link #report()} then says what it saw. */
    @Override
    public synchronized void close() {
        if (report != null) {
            return;
        }
        stopping.set(true);
        join(System.nanoTime() + settings.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1));
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // unblocks a worker still reading; its request counts as failed
            }
        }
        join(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        end = System.nanoTime() - start;
        report = summarize();
    }

    /**
     * Waits for the run to end by itself (every request sent and answered, failed or timed out) and
     * returns what it saw; after the duration and one timeout, whatever is left is stopped.
     */
    public Report await() {
        long deadline = start + settings.duration().toNanos() + settings.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        join(deadline);
        close();
        return report;
    }

    /** What the run saw; {@link #close()} or {@link #await()} first. */
    public synchronized Report report() {
        if (report == null) {
            throw new IllegalStateException("the run is still going: close() or await() first");
        }
        return report;
    }

    private void join(long deadline) {
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Report summarize() {
        long sent = 0;
        long skipped = 0;
        long ok = 0;
        long badStatus = 0;
        long connectionErrors = 0;
        long timeouts = 0;
        Double first = null;
        Double last = null;
        int longest = 0;
        double outage = 0;
        int runStart = -1;
        int runLength = 0;
        int lastFailed = -1;
        long maxLag = 0;
        long[] took = new long[total];
        for (int i = 0; i < total; i++) {
            int o = outcome.get(i);
            if (o == SKIPPED) {
                // neither OK nor failed: a run of failures goes on across it
                skipped++;
                continue;
            }
            if (sentAt.get(i) < 0) {
                continue; // never taken: the run was stopped before it was due
            }
            maxLag = Math.max(maxLag, sentAt.get(i) - dueAt(i));
            switch (o) {
                case OK -> ok++;
                case BAD_STATUS -> badStatus++;
                case CONNECTION_ERROR -> connectionErrors++;
                case TIMEOUT -> timeouts++;
                case PENDING -> {
                    // sent, and still unanswered when the run was stopped: no answer is a failure
                    timeouts++;
                    kinds.computeIfAbsent("stopped before the answer", k -> new LongAdder()).increment();
                    endedAt.set(i, end);
                }
                default -> throw new IllegalStateException("outcome " + o);
            }
            took[(int) sent++] = endedAt.get(i) - sentAt.get(i);
            if (o != OK) {
                double t = sentAt.get(i) / 1e9;
                first = first == null ? t : first;
                last = t;
                if (runStart < 0) {
                    runStart = i;
                    runLength = 0;
                }
                runLength++;
                lastFailed = i;
            } else if (runStart >= 0) {
                if (runLength > longest) {
                    longest = runLength;
                    outage = (sentAt.get(i) - sentAt.get(runStart)) / 1e9;
                }
                runStart = -1;
            }
        }
        if (runStart >= 0 && runLength > longest) {
            longest = runLength;
            outage = (endedAt.get(lastFailed) - sentAt.get(runStart)) / 1e9;
        }
        long[] times = java.util.Arrays.copyOf(took, (int) sent);
        java.util.Arrays.sort(times);
        double median = sent == 0 ? 0 : times[(int) sent / 2] / 1e9;
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        Map<String, Long> byKind = new TreeMap<>();
        kinds.forEach((k, v) -> byKind.put(k, v.sum()));
        return new Report(settings.mode().label(), settings.url().toString(), settings.ratePerSecond(), total, sent,
                skipped, total - sent - skipped, ok, sent - ok, badStatus, connectionErrors, timeouts, byStatus, byKind, first,
                last, longest, outage, maxLag / 1e9, median, end / 1e9, retried.sum());
    }

    /** Thrown when what came back is not HTTP/1.x. */
    static final class MalformedAnswer extends IOException {
        MalformedAnswer(String message) {
            super(message);
        }
    }

    /** One TCP connection: a GET, its answer read whole so that the next request can follow on it. */
    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        boolean reusable;
        /** Whether a byte of the current answer came (a request is retried only when none did). */
        boolean answerStarted;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        int get() throws IOException {
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            reusable = false;
            answerStarted = false;
            boolean keepAlive = settings.mode() == Mode.KEEP_ALIVE;
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: catalogue-ops-load\r\n"
                    + "Accept: */*\r\nConnection: " + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int status;
            Map<String, String> headers;
            do {
                String statusLine = line(deadline);
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
                    throw new MalformedAnswer("status line '" + statusLine + "'");
                }
                status = Integer.parseInt(parts[1]);
                headers = new LinkedHashMap<>();
                for (String h = line(deadline); !h.isEmpty(); h = line(deadline)) {
                    int colon = h.indexOf(':');
                    if (colon > 0) {
                        headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                                (a, b) -> a + "," + b);
                    }
                }
            } while (status >= 100 && status < 200);
            boolean framed = true;
            if (status != 204 && status != 304) {
                String length = headers.get("content-length");
                String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
                if (encoding.contains("chunked")) {
                    chunked(deadline);
                } else if (length != null) {
                    skip(Long.parseLong(length.trim()), deadline);
                } else {
                    untilClosed(deadline);
                    framed = false;
                }
            }
            reusable = keepAlive && framed && !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
            return status;
        }

        private void chunked(long deadline) throws IOException {
            while (true) {
                String size = line(deadline);
                int semi = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new MalformedAnswer("chunk size '" + size + "'");
                }
                if (n == 0) {
                    for (String trailer = line(deadline); !trailer.isEmpty(); trailer = line(deadline)) {
                        // trailers carry nothing this counts
                    }
                    return;
                }
                skip(n, deadline);
                line(deadline);
            }
        }

        private void skip(long n, long deadline) throws IOException {
            byte[] buffer = new byte[8192];
            while (n > 0) {
                int r = read(buffer, (int) Math.min(buffer.length, n), deadline);
                if (r < 0) {
                    throw new EOFException("closed with " + n + " bytes of the body missing");
                }
                n -= r;
            }
        }

        private void untilClosed(long deadline) throws IOException {
            byte[] buffer = new byte[8192];
            while (read(buffer, buffer.length, deadline) >= 0) {
                // the body ends with the connection
            }
        }

        private int read(byte[] buffer, int length, long deadline) throws IOException {
            timeoutUntil(deadline);
            return in.read(buffer, 0, length);
        }

        private String line(long deadline) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                timeoutUntil(deadline);
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("closed before the end of the answer");
                }
                answerStarted = true;
                if (c == '\n') {
                    break;
                }
                if (b.size() > 16_384) {
                    throw new MalformedAnswer("a header line of more than 16 KiB");
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        private void timeoutUntil(long deadline) throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no whole answer within " + settings.timeout().toMillis() + " ms");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        }

        void close() {
            open.remove(socket);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket that is already broken
            }
        }
    }

    /**
     * {@code LoadGenerator URL RATE SECONDS MODE [--workers N] [--timeout-ms N] [--fail-status S,S]}:
     * runs until SECONDS have passed or until stopped (SIGTERM, SIGINT) and prints the report as
     * one JSON line.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: LoadGenerator URL RATE SECONDS new-connection|keep-alive [--workers N]"
                    + " [--timeout-ms N] [--fail-status S,S...]");
            System.exit(2);
        }
        Settings s;
        try {
            Mode mode = Mode.of(args[3]);
            s = Settings.of(URI.create(args[0]), Integer.parseInt(args[1]),
                    Duration.ofMillis(Math.round(Double.parseDouble(args[2]) * 1000)), mode);
            for (int i = 4; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--workers" -> s = s.withWorkers(Integer.parseInt(value));
                    case "--timeout-ms" -> s = s.withTimeout(Duration.ofMillis(Long.parseLong(value)));
                    case "--fail-status" -> {
                        Set<Integer> statuses = new java.util.HashSet<>();
                        for (String code : value.split(",")) {
                            statuses.add(Integer.parseInt(code.trim()));
                        }
                        s = s.withFailureStatuses(statuses);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.exit(2);
            return;
        }
        LoadGenerator g = start(s);
        AtomicBoolean printed = new AtomicBoolean();
        // one lock for both callers: the JVM halts as soon as the hook returns, so the hook must
        // wait for a print the main thread has begun
        Runnable print = () -> {
            synchronized (printed) {
                g.close();
                if (!printed.get()) {
                    System.out.println(g.report().toJson());
                    System.out.flush();
                    printed.set(true);
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(print, "load-report"));
        g.await();
        print.run();
    }
}
