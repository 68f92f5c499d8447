package fr.gouv.data.catalogue.ops.internal.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the probe printed, by key: a value of several lines is a list; a missing key is an empty list. */
public final class DoctorFacts {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final String raw;

    private DoctorFacts(String raw) {
        this.raw = raw;
    }

    public static DoctorFacts parse(String out) {
        DoctorFacts f = new DoctorFacts(out == null ? "" : out);
        for (String line : f.raw.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || !line.substring(0, eq).matches("[a-z_0-9-]+")) {
                continue;
            }
            f.values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return f;
    }

    /** Every line of a key, in order. */
    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** The first line of a key, stripped, or "" when absent. */
    public String one(String key) {
        List<String> v = all(key);
        return v.isEmpty() ? "" : v.get(0).strip();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The probe's whole output, for the deploy's own state parser. */
    public String raw() {
        return raw;
    }
}
