package fr.gouv.data.catalogue.ops.testbed;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A set of test hosts on one private network (a bridge on this machine, its own /24), with a
 * package proxy, an SSH key that logs in everywhere and pinned host keys. {@link #close()} removes
 * everything it made; runs killed before closing are reaped by the next {@link #create}.
 */
public final class TestHosts implements AutoCloseable {
    public static final Path STATE = Path.of("/var/lib/catalogue-ops/testbed");
    private static final String NETNS_PREFIX = "catops-";

    private final String name;
    private final Path dir;
    private final Subnet subnet;
    private final List<TestHost> hosts;

    private TestHosts(String name, Path dir, Subnet subnet, List<TestHost> hosts) {
        this.name = name;
        this.dir = dir;
        this.subnet = subnet;
        this.hosts = List.copyOf(hosts);
    }

    public String name() {
        return name;
    }

    public List<TestHost> hosts() {
        return hosts;
    }

    public TestHost host(int index) {
        return hosts.get(index);
    }

    public Subnet subnet() {
        return subnet;
    }

    /** The private key that logs in to every host (root, deploy, asker). */
    public Path privateKey() {
        return dir.resolve("id_ed25519");
    }

    /** known_hosts lines for every host, by address and by name. */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /**
     * The system's OpenSSH client running {@code command} on a host as {@code user}, with this
     * testbed's key and known hosts only (for tests that check what a stock client sees).
     */
    public List<String> sshArgv(TestHost host, String user, String command) {
        return List.of("ssh", "-i", privateKey().toString(), "-o", "UserKnownHostsFile=" + knownHosts(),
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5",
                user + "@" + host.address(), command);
    }

    /** A fresh name: "tb" and 6 hex digits. */
    public static String newName() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return "tb" + HexFormat.of().formatHex(b);
    }

    /**
     * The most hosts in one testbed: room for a fleet of 30 web hosts and its database on one
     * subnet (addresses .11 to .50), well within the machine's memory.
     */
    public static final int MAX_HOSTS = 40;

    /** Refuses a bad name or host count before anything is made. */
    public static void checkRequest(String name, int count) throws ConfigException {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,19}")) {
            throw new ConfigException("invalid testbed name '" + name + "': 1 to 20 lower-case letters, digits or '-',"
                    + " starting with a letter");
        }
        if (count < 1 || count > MAX_HOSTS) {
            throw new ConfigException("a testbed has 1 to " + MAX_HOSTS + " hosts, not " + count + "; use --hosts 1 to " + MAX_HOSTS);
        }
    }

    /** Checks what creating hosts needs, and says what is missing. */
    public static void checkPrerequisites() throws TestbedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new TestbedException("test hosts need root (network namespaces, mounts); run as root");
        }
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("debootstrap", "ip", "unshare", "chroot", "tinyproxy", "ssh-keygen", "mount", "nft")) {
            if (!LocalCommand.available(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new TestbedException("missing tools for test hosts: " + String.join(", ", missing)
                    + "; run scripts/install-prerequisites");
        }
    }

    /**
     * Creates {@code count} hosts named NAME-1..NAME-count, in parallel.
     *
     * @param persistent keep them after this process ends (catalogue-ops testbed up); otherwise a
     *                   later run reaps them once this process is gone
     */
    public static TestHosts create(String name, int count, boolean persistent) throws TestbedException, ConfigException {
        return create(name, count, persistent, null);
    }

    /**
     * As {@link #create(String, int, boolean)}, on exactly 10.213.{@code subnet}.0/24 when it is not
     * null (hosts at .11, .12, ...), for an environment whose inventory already has the addresses.
     */
    public static TestHosts create(String name, int count, boolean persistent, Integer subnetThird)
            throws TestbedException, ConfigException {
        checkRequest(name, count);
        checkPrerequisites();
        reapStale();
        Path dir = STATE.resolve(name);
        if (Files.exists(dir)) {
            throw new TestbedException("testbed '" + name + "' already exists; remove it with: catalogue-ops testbed down " + name);
        }
        PackageMirrors mirrors = PackageMirrors.ofThisMachine();
        Path image = RootImage.ensure(mirrors);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Subnet subnet = subnetThird == null ? Subnet.choose(hash(name) % 250, Subnet.inUse())
                    : Subnet.require(subnetThird, Subnet.inUse());
            writeState(dir, name, subnet, count, persistent);
            TestHosts run = new TestHosts(name, dir, subnet, List.of());
            try {
                return run.build(image, mirrors, count);
            } catch (TestbedException | RuntimeException e) {
                destroy(name);
                throw e;
            }
        } catch (IOException e) {
            destroy(name);
            throw new TestbedException("cannot create testbed " + name + ": " + e.getMessage());
        }
    }

    private TestHosts build(Path image, PackageMirrors mirrors, int count) throws TestbedException, IOException {
        String bridge = bridgeName(name);
        LocalCommand.run(List.of("ip", "link", "add", bridge, "type", "bridge"), 10);
        LocalCommand.run(List.of("ip", "addr", "add", subnet.gateway() + "/24", "dev", bridge), 10);
        LocalCommand.run(List.of("ip", "link", "set", bridge, "up"), 10);
        PackageProxy.start(dir.resolve("proxy"), subnet, mirrors);
        LocalCommand.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "catalogue-ops-testbed-" + name,
                "-f", privateKey().toString()), 30);
        String clientKey = Files.readString(dir.resolve("id_ed25519.pub")).strip();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(name + "-" + i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, 8));
        try {
            List<Future<TestHost>> futures = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                int index = i;
                futures.add(pool.submit(() -> new HostBuilder(this, image, mirrors, clientKey, names).create(index)));
            }
            List<TestHost> made = new ArrayList<>();
            for (Future<TestHost> f : futures) {
                made.add(f.get());
            }
            Files.writeString(knownHosts(), knownHostsLines(made));
            for (TestHost h : made) {
                Readiness.waitFor(h.address(), TestHost.SSH_PORT, 30_000, "sshd of test host " + h.name(), "SSH-2.0");
            }
            return new TestHosts(name, dir, subnet, made);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TestbedException t) {
                throw t;
            }
            throw new TestbedException("cannot create a test host: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while creating test hosts");
        } finally {
            pool.shutdownNow();
        }
    }

    Path dir() {
        return dir;
    }

    /** known_hosts lines pinning each host's key, by address and by name. */
    static String knownHostsLines(List<TestHost> hosts) {
        StringBuilder known = new StringBuilder();
        for (TestHost h : hosts) {
            known.append(h.address()).append(' ').append(h.hostKey()).append('\n');
            known.append(h.name()).append(' ').append(h.hostKey()).append('\n');
        }
        return known.toString();
    }

    /** The hosts of an existing testbed (made by this process or another, e.g. {@code testbed up}). */
    public static TestHosts attach(String name) throws TestbedException {
        Properties p = describe(name).orElseThrow(() -> new TestbedException("no testbed '" + name
                + "' on this machine (see: catalogue-ops testbed list)"));
        Path dir = STATE.resolve(name);
        String cidr = p.getProperty("subnet", "");
        if (!cidr.startsWith(Subnet.PREFIX)) {
            throw new TestbedException("testbed " + name + ": unreadable subnet '" + cidr + "' in " + dir.resolve("run.properties"));
        }
        Subnet subnet = new Subnet(Integer.parseInt(cidr.substring(Subnet.PREFIX.length()).split("\\.")[0]));
        int count = Integer.parseInt(p.getProperty("hosts", "0"));
        List<TestHost> hosts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String host = name + "-" + i;
            Path hostDir = dir.resolve("hosts").resolve(host);
            String key;
            try {
                key = TestHost.readHostKey(hostDir.resolve("merged"));
            } catch (IOException e) {
                throw new TestbedException("testbed " + name + ": host " + host + " is not running (" + e.getMessage() + ")");
            }
            hosts.add(new TestHost(host, subnet.address(i), netnsName(host), vethName(name, i), hostDir, key));
        }
        return new TestHosts(name, dir, subnet, hosts);
    }

    static String bridgeName(String run) {
        return "cob" + shortHash(run);
    }

    static String vethName(String run, int index) {
        return "coh" + shortHash(run) + index;
    }

    static String netnsName(String host) {
        return NETNS_PREFIX + host;
    }

    private static String shortHash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int hash(String s) {
        return Integer.parseInt(shortHash(s), 16);
    }

    // --- faults ---------------------------------------------------------------------------------

    /** Adds {@code millis} of latency to every SSH byte each way (0 removes it). */
    public void delay(TestHost host, int millis) throws TestbedException {
        try {
            Files.writeString(host.root().resolve("var/lib/testbed/delay_ms"), millis + "\n");
        } catch (IOException e) {
            throw new TestbedException("cannot set the delay of " + host.name() + ": " + e.getMessage());
        }
    }

    /**
     * Drops {@code percent} of the packets in and out of the host's link, at random (0 removes it).
     * This kernel has no netem; nftables' random number generator does the dropping.
     */
    public void loss(TestHost host, int percent) throws TestbedException {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("loss is a percentage, not " + percent);
        }
        LocalCommand.runQuietly(lossCommand(host.netns(), "delete table inet " + FAULT_TABLE));
        if (percent > 0) {
            LocalCommand.run(lossCommand(host.netns(), lossRules(percent)), 10);
        }
    }

    static final String FAULT_TABLE = "testbed_fault";

    static List<String> lossCommand(String netns, String rules) {
        return List.of("ip", "netns", "exec", netns, "nft", rules);
    }

    static String lossRules(int percent) {
        String match = percent >= 100 ? "" : "numgen random mod 100 < " + percent + " ";
        return "add table inet " + FAULT_TABLE + "; "
                + "add chain inet " + FAULT_TABLE + " in { type filter hook input priority 0; policy accept; }; "
                + "add chain inet " + FAULT_TABLE + " out { type filter hook output priority 0; policy accept; }; "
                + "add rule inet " + FAULT_TABLE + " in iifname \"eth0\" " + match + "drop; "
                + "add rule inet " + FAULT_TABLE + " out oifname \"eth0\" " + match + "drop";
    }

    /** Cuts the host's link: nothing goes in or out until {@link #heal}. */
    public void partition(TestHost host) throws TestbedException {
        LocalCommand.run(List.of("ip", "link", "set", host.vethHost(), "down"), 10);
    }

    public void heal(TestHost host) throws TestbedException {
        LocalCommand.run(List.of("ip", "link", "set", host.vethHost(), "up"), 10);
    }

    // --- lifecycle ------------------------------------------------------------------------------

    @Override
    public void close() {
        destroy(name);
    }

    /** Names of the testbeds on this machine. */
    public static List<String> list() {
        if (!Files.isDirectory(STATE)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(STATE)) {
            return dirs.filter(p -> Files.isRegularFile(p.resolve("run.properties")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Properties of a testbed (subnet, hosts, owner, persistent), when it exists. */
    public static Optional<Properties> describe(String name) {
        Path file = STATE.resolve(name).resolve("run.properties");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Adds a property to a testbed's record (e.g. the environment folder it was made for). */
    public static void remember(String name, String key, String value) throws TestbedException {
        Properties p = describe(name).orElseThrow(() -> new TestbedException("no testbed '" + name + "'"));
        p.setProperty(key, value);
        Path file = STATE.resolve(name).resolve("run.properties");
        try (var out = Files.newOutputStream(file.resolveSibling("run.properties.new"))) {
            p.store(out, "catalogue-ops testbed");
        } catch (IOException e) {
            throw new TestbedException("cannot write " + file + ": " + e.getMessage());
        }
        try {
            Files.move(file.resolveSibling("run.properties.new"), file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TestbedException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static void writeState(Path dir, String name, Subnet subnet, int count, boolean persistent) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("subnet", subnet.cidr());
        p.setProperty("hosts", String.valueOf(count));
        p.setProperty("persistent", String.valueOf(persistent));
        ProcessHandle me = ProcessHandle.current();
        p.setProperty("owner.pid", String.valueOf(me.pid()));
        p.setProperty("owner.start", me.info().startInstant().map(Instant::toString).orElse(""));
        try (var out = Files.newOutputStream(dir.resolve("run.properties"))) {
            p.store(out, "catalogue-ops testbed");
        }
    }

    /** Removes a testbed: processes, mounts, namespaces, links, proxy and files. Safe to repeat. */
    public static void destroy(String name) {
        Path dir = STATE.resolve(name);
        int count = describe(name).map(p -> Integer.parseInt(p.getProperty("hosts", "0"))).orElse(20);
        for (int i = 1; i <= count; i++) {
            destroyHost(name + "-" + i, dir.resolve("hosts").resolve(name + "-" + i), vethName(name, i));
        }
        killPidFile(dir.resolve("proxy/pid"));
        LocalCommand.runQuietly(List.of("ip", "link", "del", bridgeName(name)));
        LocalCommand.runQuietly(List.of("rm", "-rf", "--one-file-system", dir.toString()));
    }

    static void destroyHost(String host, Path hostDir, String veth) {
        String netns = netnsName(host);
        PackageCache.harvest(hostDir.resolve("upper"));
        killNetnsProcesses(netns);
        Path merged = hostDir.resolve("merged");
        if (isMounted(merged)) {
            LocalCommand.runQuietly(List.of("umount", merged.toString()));
            if (isMounted(merged)) {
                LocalCommand.runQuietly(List.of("umount", "-l", merged.toString()));
            }
        }
        LocalCommand.runQuietly(List.of("ip", "netns", "del", netns));
        LocalCommand.runQuietly(List.of("ip", "link", "del", veth));
    }

    private static void killNetnsProcesses(String netns) {
        for (int attempt = 0; attempt < 50; attempt++) {
            List<Long> pids = new ArrayList<>();
            try {
                for (String line : LocalCommand.run(List.of("ip", "netns", "pids", netns), 10).split("\n")) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.strip()));
                    }
                }
            } catch (TestbedException | NumberFormatException e) {
                return; // no such namespace
            }
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void killPidFile(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(p -> {
                if (p.info().command().map(c -> c.endsWith("tinyproxy")).orElse(false)) {
                    p.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // no proxy was started
        }
    }

    static boolean isMounted(Path path) {
        try {
            String abs = path.toAbsolutePath().toString();
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals(abs));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes testbeds whose owner process is gone (a killed test run), and namespaces, links and
     * mounts of the testbed that no testbed claims. Persistent testbeds (testbed up) are kept.
     */
    public static void reapStale() {
        for (String run : list()) {
            Properties p = describe(run).orElse(null);
            if (p == null || Boolean.parseBoolean(p.getProperty("persistent"))) {
                continue;
            }
            if (!ownerAlive(p)) {
                destroy(run);
            }
        }
        List<String> runs = list();
        try {
            for (String line : LocalCommand.run(List.of("ip", "netns", "list"), 10).split("\n")) {
                String ns = line.trim().split("\\s+")[0];
                if (ns.startsWith(NETNS_PREFIX)) {
                    String host = ns.substring(NETNS_PREFIX.length());
                    String run = host.contains("-") ? host.substring(0, host.lastIndexOf('-')) : host;
                    if (!runs.contains(run)) {
                        killNetnsProcesses(ns);
                        LocalCommand.runQuietly(List.of("ip", "netns", "del", ns));
                    }
                }
            }
        } catch (TestbedException ignored) {
            // ip missing: checkPrerequisites says so
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String target = line.split(" ")[1];
                if (target.startsWith(STATE + "/")) {
                    String run = Path.of(target).subpath(STATE.getNameCount(), STATE.getNameCount() + 1).toString();
                    if (!runs.contains(run)) {
                        LocalCommand.runQuietly(List.of("umount", "-l", target));
                    }
                }
            }
        } catch (IOException ignored) {
            // no /proc: nothing to reap
        }
    }

    private static boolean ownerAlive(Properties p) {
        try {
            Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(p.getProperty("owner.pid", "-1")));
            return owner.isPresent() && owner.get().info().startInstant().map(Instant::toString)
                    .map(s -> s.equals(p.getProperty("owner.start"))).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What this testbed left on the machine: namespaces, links and mounts (empty once destroyed). */
    public static List<String> leftovers(String name) {
        List<String> found = new ArrayList<>();
        try {
            for (String line : LocalCommand.run(List.of("ip", "netns", "list"), 10).split("\n")) {
                if (line.startsWith(netnsName(name + "-"))) {
                    found.add("netns " + line.trim());
                }
            }
            for (String line : LocalCommand.run(List.of("ip", "-o", "link", "show"), 10).split("\n")) {
                if (line.contains(bridgeName(name)) || line.contains("coh" + shortHash(name))) {
                    found.add("link " + line.trim());
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                if (line.split(" ")[1].startsWith(STATE.resolve(name).toString())) {
                    found.add("mount " + line);
                }
            }
        } catch (TestbedException | IOException e) {
            found.add("cannot inspect: " + e.getMessage());
        }
        if (Files.exists(STATE.resolve(name))) {
            found.add("folder " + STATE.resolve(name));
        }
        return found;
    }
}
