package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Debian packages installed (or at their candidate version, {@code latest}). One {@code apt-cache
 * policy} call probes them all; one {@code apt-get install} installs what is missing.
 */
public record Packages(String name, List<String> packages, boolean latest, Set<String> tags, int lockWaitSeconds)
        implements Task {
    /** How long apt waits for another apt or dpkg to release its lock before giving up. */
    public static final int LOCK_WAIT_SECONDS = 60;

    public Packages(String name, List<String> packages, boolean latest, Set<String> tags) {
        this(name, packages, latest, tags, LOCK_WAIT_SECONDS);
    }

    public Packages withLockWait(int seconds) {
        return new Packages(name, packages, latest, tags, seconds);
    }

    public Packages {
        packages = List.copyOf(packages);
        tags = Set.copyOf(tags);
        for (String p : packages) {
            if (!p.matches("[a-z0-9][a-z0-9+.-]+")) {
                throw new IllegalArgumentException("not a Debian package name: '" + p + "'");
            }
        }
    }

    public static Packages of(String... names) {
        return new Packages("packages " + String.join(" ", names), List.of(names), false, Set.of());
    }

    static Command probeCommand(List<String> packages) {
        List<String> argv = new ArrayList<>(List.of("env", "LC_ALL=C", "apt-cache", "policy"));
        argv.addAll(packages);
        return Command.of(argv.toArray(String[]::new));
    }

    static Command installCommand(List<String> packages) {
        return installCommand(packages, LOCK_WAIT_SECONDS);
    }

    static Command installCommand(List<String> packages, int lockWaitSeconds) {
        List<String> argv = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                "--no-install-recommends", "-o", "DPkg::Lock::Timeout=" + lockWaitSeconds, "-o", "Dpkg::Options::=--force-confdef",
                "-o", "Dpkg::Options::=--force-confold"));
        argv.addAll(packages);
        return Command.of(argv.toArray(String[]::new));
    }

    /** Installed and candidate versions by package, from {@code apt-cache policy}; "(none)" when not installed. */
    static Map<String, String[]> parsePolicy(String out) {
        Map<String, String[]> versions = new LinkedHashMap<>();
        String current = null;
        for (String line : out.split("\n")) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
                versions.put(current, new String[] {"(none)", "(none)"});
            } else if (current != null && line.strip().startsWith("Installed:")) {
                versions.get(current)[0] = line.strip().substring("Installed:".length()).strip();
            } else if (current != null && line.strip().startsWith("Candidate:")) {
                versions.get(current)[1] = line.strip().substring("Candidate:".length()).strip();
            }
        }
        return versions;
    }

    @Override
    public List<Command> probes(HostContext host) {
        return List.of(latest ? probeCommand(packages) : statusCommand(packages));
    }

    /** dpkg's own record (fast): one line per known package, "NAME\tinstalled\tVERSION" when installed. */
    static Command statusCommand(List<String> packages) {
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package}\\t${db:Status-Status}\\t${Version}\\n"));
        argv.addAll(packages);
        return Command.of(argv.toArray(String[]::new));
    }

    static java.util.Set<String> parseInstalled(String out) {
        java.util.Set<String> installed = new java.util.HashSet<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 2 && f[1].equals("installed")) {
                installed.add(f[0]);
            }
        }
        return installed;
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        List<String> candidates = packages;
        if (!latest) {
            // dpkg answers for what is installed; apt's cache is only read for what is missing
            java.util.Set<String> installed = parseInstalled(host.run(statusCommand(packages)).stdout());
            candidates = packages.stream().filter(p -> !installed.contains(p)).toList();
            if (candidates.isEmpty()) {
                return Change.none();
            }
        }
        ExecResult probe = host.runOk(probeCommand(candidates));
        Map<String, String[]> versions = parsePolicy(probe.stdout());
        List<String> todo = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        for (String p : candidates) {
            String[] v = versions.get(p);
            if (v == null || v[1].equals("(none)")) {
                throw new TaskFailure("package '" + p + "' is not known to apt on this host; check its name"
                        + " (and the host's apt sources, or run apt-get update)");
            }
            if (v[0].equals("(none)")) {
                todo.add(p);
                diff.append("+ ").append(p).append(' ').append(v[1]).append('\n');
            } else if (latest && !v[0].equals(v[1])) {
                todo.add(p);
                diff.append("~ ").append(p).append(' ').append(v[0]).append(" -> ").append(v[1]).append('\n');
            }
        }
        if (todo.isEmpty()) {
            return Change.none();
        }
        return Change.of("install " + String.join(" ", todo), diff.toString(), h -> {
            ExecResult r = h.run(installCommand(todo, lockWaitSeconds));
            if (!r.ok()) {
                String why = HostContext.lastLine(r);
                throw new TaskFailure("apt-get install " + String.join(" ", todo) + " failed: " + why
                        + (AptCache.lockHeld(r) ? " (another apt or dpkg holds the lock; wait for it and run again)" : ""));
            }
        });
    }
}
