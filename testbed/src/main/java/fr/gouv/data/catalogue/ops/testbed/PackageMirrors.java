package fr.gouv.data.catalogue.ops.testbed;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The package mirrors this machine uses, read from its own configuration (never written in the
 * code): apt sources ({@code sources.list}, {@code *.list}, deb822 {@code *.sources}) and npm's
 * registry. Test hosts may reach these hosts, through the proxy, and nothing else.
 */
public record PackageMirrors(URI debianMirror, URI securityMirror, List<URI> aptUris, URI npmRegistry) {

    public static PackageMirrors ofThisMachine() throws TestbedException {
        List<String[]> sources = new ArrayList<>();
        Path etc = Path.of("/etc/apt");
        try {
            if (Files.isRegularFile(etc.resolve("sources.list"))) {
                sources.addAll(parseList(Files.readString(etc.resolve("sources.list"))));
            }
            if (Files.isDirectory(etc.resolve("sources.list.d"))) {
                try (Stream<Path> files = Files.list(etc.resolve("sources.list.d"))) {
                    for (Path f : files.sorted().toList()) {
                        String name = f.getFileName().toString();
                        if (name.endsWith(".list")) {
                            sources.addAll(parseList(Files.readString(f)));
                        } else if (name.endsWith(".sources")) {
                            sources.addAll(parseDeb822(Files.readString(f)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new TestbedException("cannot read the apt sources: " + e.getMessage());
        }
        return of(sources, readNpmRegistry());
    }

    /** Picks the Debian mirror: the first source carrying suite bookworm. */
    static PackageMirrors of(List<String[]> sources, URI npm) throws TestbedException {
        URI debian = null;
        URI security = null;
        Set<URI> uris = new LinkedHashSet<>();
        for (String[] s : sources) {
            URI uri = URI.create(s[0].endsWith("/") ? s[0].substring(0, s[0].length() - 1) : s[0]);
            uris.add(uri);
            List<String> suites = List.of(s[1].split("\\s+"));
            if (debian == null && suites.contains("bookworm")) {
                debian = uri;
            }
            if (security == null && suites.contains("bookworm-security")) {
                security = uri;
            }
        }
        if (debian == null) {
            throw new TestbedException("no apt source of this machine carries Debian bookworm; the testbed needs one"
                    + " to build its hosts (check /etc/apt/sources.list.d)");
        }
        return new PackageMirrors(debian, security, List.copyOf(uris), npm);
    }

    /** One-line format: {@code deb [options] URI suite components}; returns {URI, suites}. */
    static List<String[]> parseList(String text) {
        List<String[]> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("#.*", "").strip();
            if (!line.startsWith("deb ")) {
                continue;
            }
            line = line.substring(4).strip();
            if (line.startsWith("[")) {
                line = line.substring(line.indexOf(']') + 1).strip();
            }
            String[] parts = line.split("\\s+");
            if (parts.length >= 2) {
                out.add(new String[] {parts[0], parts[1]});
            }
        }
        return out;
    }

    /** deb822 format: stanzas with {@code Types}, {@code URIs}, {@code Suites}, optional {@code Enabled}. */
    static List<String[]> parseDeb822(String text) {
        List<String[]> out = new ArrayList<>();
        for (String stanza : text.split("\n\\s*\n")) {
            String types = "";
            String uris = "";
            String suites = "";
            String enabled = "yes";
            for (String raw : stanza.split("\n")) {
                if (raw.startsWith("#")) {
                    continue;
                }
                int colon = raw.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = raw.substring(0, colon).strip().toLowerCase();
                String value = raw.substring(colon + 1).strip();
                switch (key) {
                    case "types" -> types = value;
                    case "uris" -> uris = value;
                    case "suites" -> suites = value;
                    case "enabled" -> enabled = value;
                    default -> { }
                }
            }
            if (List.of(types.split("\\s+")).contains("deb") && !enabled.equalsIgnoreCase("no")) {
                for (String uri : uris.split("\\s+")) {
                    if (!uri.isEmpty()) {
                        out.add(new String[] {uri, suites});
                    }
                }
            }
        }
        return out;
    }

    private static URI readNpmRegistry() {
        if (!LocalCommand.available("npm")) {
            return null;
        }
        try {
            String registry = LocalCommand.run(List.of("npm", "config", "get", "registry"), 30).strip();
            return registry.startsWith("http") ? URI.create(registry) : null;
        } catch (TestbedException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The apt sources of a test host: the same Debian mirrors as this machine. */
    public String hostSourcesList() {
        String out = "deb " + debianMirror + " bookworm main\ndeb " + debianMirror + " bookworm-updates main\n";
        return securityMirror == null ? out : out + "deb " + securityMirror + " bookworm-security main\n";
    }

    /** Host names the proxy lets through. */
    public Set<String> allowedHosts() {
        Set<String> hosts = new LinkedHashSet<>();
        aptUris.forEach(u -> hosts.add(u.getHost()));
        if (npmRegistry != null) {
            hosts.add(npmRegistry.getHost());
        }
        hosts.remove(null);
        return hosts;
    }
}
