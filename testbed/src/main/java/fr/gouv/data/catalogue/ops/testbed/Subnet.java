package fr.gouv.data.catalogue.ops.testbed;

import java.util.Collection;
import java.util.List;

/**
 * A /24 for one testbed, in 10.213.0.0/16, that overlaps nothing this machine already uses
 * (its interfaces' networks and routes, other testbeds' bridges).
 */
public record Subnet(int third) {
    static final String PREFIX = "10.213.";

    public String gateway() {
        return PREFIX + third + ".1";
    }

    public String address(int hostIndex) {
        return PREFIX + third + "." + (10 + hostIndex);
    }

    public String cidr() {
        return PREFIX + third + ".0/24";
    }

    /** The first free /24 starting at {@code preferred}; {@code used} lists CIDRs such as 10.213.4.0/24. */
    static Subnet choose(int preferred, Collection<String> used) throws TestbedException {
        for (int i = 0; i < 250; i++) {
            Subnet candidate = new Subnet(1 + Math.floorMod(preferred + i, 250));
            if (used.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new TestbedException("no free /24 left in 10.213.0.0/16; tear down old testbeds (catalogue-ops testbed list)");
    }

    /** Exactly 10.213.{@code third}.0/24, refused when something on this machine already uses it. */
    static Subnet require(int third, Collection<String> used) throws TestbedException {
        Subnet wanted = new Subnet(third);
        for (String cidr : used) {
            if (wanted.overlaps(cidr)) {
                throw new TestbedException(wanted.cidr() + " is already used on this machine (" + cidr + ");"
                        + " tear down what uses it (catalogue-ops testbed list) or give the environment other addresses");
            }
        }
        return wanted;
    }

    /** Whether a CIDR (a.b.c.d/n) shares addresses with this /24. */
    boolean overlaps(String cidr) {
        String[] parts = cidr.split("/");
        long network = toLong(parts[0]);
        int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        if (network < 0) {
            return false;
        }
        long mine = toLong(PREFIX + third + ".0");
        int common = Math.min(bits, 24);
        long mask = common == 0 ? 0 : (0xffffffffL << (32 - common)) & 0xffffffffL;
        return (network & mask) == (mine & mask);
    }

    private static long toLong(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4) {
            return -1;
        }
        long v = 0;
        for (String part : o) {
            v = (v << 8) | Integer.parseInt(part);
        }
        return v;
    }

    /** CIDRs in use on this machine: interface networks and routes (default route excluded). */
    static List<String> inUse() throws TestbedException {
        List<String> used = new java.util.ArrayList<>();
        for (String line : LocalCommand.run(List.of("ip", "-o", "-4", "addr", "show"), 10).split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    used.add(f[i + 1]);
                }
            }
        }
        for (String line : LocalCommand.run(List.of("ip", "-4", "route", "show"), 10).split("\n")) {
            String first = line.trim().split("\\s+")[0];
            if (!first.isEmpty() && !first.equals("default")) {
                used.add(first.contains("/") ? first : first + "/32");
            }
        }
        return used;
    }
}
