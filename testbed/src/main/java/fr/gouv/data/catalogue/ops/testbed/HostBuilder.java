package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Creates one test host of a testbed: overlay root, per-host files, network namespace, init. */
final class HostBuilder {
    private final TestHosts run;
    private final Path image;
    private final PackageMirrors mirrors;
    private final String clientKey;
    private final List<String> names;

    HostBuilder(TestHosts run, Path image, PackageMirrors mirrors, String clientKey, List<String> names) {
        this.run = run;
        this.image = image;
        this.mirrors = mirrors;
        this.clientKey = clientKey;
        this.names = names;
    }

    TestHost create(int index) throws TestbedException, IOException {
        String name = names.get(index - 1);
        String address = run.subnet().address(index);
        Path dir = run.dir().resolve("hosts").resolve(name);
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path merged = Files.createDirectories(dir.resolve("merged"));
        PackageCache.seed(upper);
        LocalCommand.run(List.of("mount", "-t", "overlay", "overlay", "-o",
                "lowerdir=" + image + ",upperdir=" + upper + ",workdir=" + work, merged.toString()), 30);
        String hostKey = configure(merged, name);
        String netns = TestHosts.netnsName(name);
        String veth = TestHosts.vethName(run.name(), index);
        String peer = veth + "p";
        LocalCommand.run(List.of("ip", "netns", "add", netns), 10);
        LocalCommand.run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", peer), 10);
        LocalCommand.run(List.of("ip", "link", "set", peer, "netns", netns), 10);
        LocalCommand.run(List.of("ip", "link", "set", veth, "master", TestHosts.bridgeName(run.name())), 10);
        LocalCommand.run(List.of("ip", "link", "set", veth, "up"), 10);
        LocalCommand.run(List.of("ip", "-n", netns, "link", "set", peer, "name", "eth0"), 10);
        LocalCommand.run(List.of("ip", "-n", netns, "addr", "add", address + "/24", "dev", "eth0"), 10);
        LocalCommand.run(List.of("ip", "-n", netns, "link", "set", "eth0", "up"), 10);
        LocalCommand.run(List.of("ip", "-n", netns, "link", "set", "lo", "up"), 10);
        new ProcessBuilder(startCommand(netns, merged, address))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new TestHost(name, address, netns, veth, dir, hostKey);
    }

    /** PID 1 of the host: its own mount, UTS, IPC and PID namespaces, inside its network namespace. */
    static List<String> startCommand(String netns, Path merged, String address) {
        return List.of("ip", "netns", "exec", netns, "unshare", "--mount", "--uts", "--ipc", "--pid", "--fork",
                "--kill-child", "--mount-proc=" + merged.resolve("proc"), "chroot", merged.toString(),
                "/usr/bin/python3", "/usr/local/sbin/testbed-init", address);
    }

    /** Writes the per-host files into the overlay; returns the host's public key for known_hosts. */
    private String configure(Path root, String name) throws TestbedException, IOException {
        Files.writeString(root.resolve("etc/hostname"), name + "\n");
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
        for (int i = 0; i < names.size(); i++) {
            hosts.append(run.subnet().address(i + 1)).append(' ').append(names.get(i)).append('\n');
        }
        Files.writeString(root.resolve("etc/hosts"), hosts.toString());
        Path hostKey = root.resolve("etc/ssh/ssh_host_ed25519_key");
        LocalCommand.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@" + name,
                "-f", hostKey.toString()), 30);
        String proxy = "http://" + run.subnet().gateway() + ":" + PackageProxy.PORT;
        RootImage.write(root, "etc/apt/apt.conf.d/80testbed-proxy",
                "Acquire::http::Proxy \"" + proxy + "\";\nAcquire::https::Proxy \"" + proxy + "\";\n", "rw-r--r--");
        RootImage.write(root, "etc/apt/sources.list", mirrors.hostSourcesList(), "rw-r--r--");
        String noProxy = "localhost,127.0.0.1,::1," + run.subnet().cidr() + "," + String.join(",", names);
        StringBuilder env = new StringBuilder();
        env.append("http_proxy=").append(proxy).append("\nhttps_proxy=").append(proxy)
                .append("\nHTTP_PROXY=").append(proxy).append("\nHTTPS_PROXY=").append(proxy)
                .append("\nno_proxy=").append(noProxy).append("\nNO_PROXY=").append(noProxy)
                .append("\nNODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n");
        if (mirrors.npmRegistry() != null) {
            env.append("npm_config_registry=").append(mirrors.npmRegistry()).append('\n');
        }
        RootImage.write(root, "etc/environment", env.toString(), "rw-r--r--");
        // sshd here runs without PAM, so /etc/environment is not read for SSH sessions: SetEnv is.
        StringBuilder setEnv = new StringBuilder("SetEnv");
        for (String line : env.toString().split("\n")) {
            setEnv.append(' ').append(line);
        }
        RootImage.write(root, "etc/ssh/sshd_config.d/testbed-env.conf", setEnv + "\n", "rw-r--r--");
        for (String user : List.of("root", "deploy", "asker")) {
            authorize(root, user);
        }
        return TestHost.readHostKey(root);
    }

    private void authorize(Path root, String user) throws IOException {
        String home = user.equals("root") ? "root" : "home/" + user;
        Path ssh = Files.createDirectories(root.resolve(home).resolve(".ssh"));
        Path keys = ssh.resolve("authorized_keys");
        Files.writeString(keys, clientKey + "\n");
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        int[] ids = ids(root, user);
        for (Path p : List.of(ssh, keys)) {
            Files.setAttribute(p, "unix:uid", ids[0]);
            Files.setAttribute(p, "unix:gid", ids[1]);
        }
    }

    /** uid and gid of a user of the host, from its /etc/passwd. */
    private static int[] ids(Path root, String user) throws IOException {
        for (String line : Files.readAllLines(root.resolve("etc/passwd"))) {
            String[] f = line.split(":");
            if (f[0].equals(user)) {
                return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
            }
        }
        throw new IOException("no user " + user + " in the test host image");
    }
}
