package fr.gouv.data.catalogue.ops.internal.deploy;

import java.util.Comparator;
import java.util.List;

/** Replaces every known secret value in text shown to the user (longest first, so a value inside another goes too). */
public record Masking(List<String> secrets) {
    public static final String MASK = "********";

    public Masking {
        secrets = secrets.stream().filter(s -> s != null && s.length() >= 3).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String mask(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }
}
