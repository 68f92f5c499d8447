package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An HTTP proxy (Debian's tinyproxy) on a testbed's gateway address, letting the test hosts reach
 * this machine's package mirrors and nothing else.
 */
final class PackageProxy {
    static final int PORT = 3128;

    private PackageProxy() {
    }

    static String config(Subnet subnet, Path filter) {
        return "User tinyproxy\nGroup tinyproxy\n"
                + "Port " + PORT + "\n"
                + "Listen " + subnet.gateway() + "\n"
                + "Timeout 600\n"
                + "MaxClients 100\n"
                + "LogLevel Warning\n"
                + "Allow " + subnet.cidr() + "\n"
                + "FilterDefaultDeny Yes\n"
                + "FilterType ere\n"
                + "Filter \"" + filter + "\"\n"
                + "ConnectPort 443\n"
                + "DisableViaHeader Yes\n";
    }

    /** One anchored regular expression per allowed host name. */
    static String filter(Iterable<String> hosts) {
        StringBuilder out = new StringBuilder();
        for (String h : hosts) {
            out.append("^").append(h.replace(".", "\\.")).append("$\n");
        }
        return out.toString();
    }

    /** Starts tinyproxy in the foreground (as a child we can end), and returns its process. */
    static Process start(Path dir, Subnet subnet, PackageMirrors mirrors) throws TestbedException {
        try {
            Files.createDirectories(dir);
            Path filter = dir.resolve("filter");
            Files.writeString(filter, filter(mirrors.allowedHosts()));
            filter.toFile().setReadable(true, false);
            Path conf = dir.resolve("tinyproxy.conf");
            Files.writeString(conf, config(subnet, filter));
            Process p = new ProcessBuilder(List.of("tinyproxy", "-d", "-c", conf.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("tinyproxy.log").toFile()).start();
            Files.writeString(dir.resolve("pid"), p.pid() + "\n");
            Readiness.waitForPort(subnet.gateway(), PORT, 15_000, "package proxy (tinyproxy) on " + subnet.gateway());
            return p;
        } catch (IOException e) {
            throw new TestbedException("cannot start tinyproxy: " + e.getMessage());
        }
    }
}
