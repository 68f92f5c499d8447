package fr.gouv.data.catalogue.ops.internal.certs;

import fr.gouv.data.catalogue.ops.report.CertificateInfo;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what {@code certbot certificates} prints into one record per certificate. */
final class CertbotListing {
    private static final Pattern FIELD = Pattern.compile("^\\s+([A-Za-z ]+): (.*)$");
    private static final Pattern EXPIRY = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2})"
            + "(?: \\((.*)\\))?$");
    private static final DateTimeFormatter CERTBOT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");

    private CertbotListing() {
    }

    /**
     * The certificates listed, in certbot's order.
     *
     * @param host the host's inventory name, for the records
     * @param text certbot's output (its log notice and separators are skipped)
     * @param now the host's clock, for the days left
     * @throws IllegalArgumentException when an entry has no expiry date certbot's way
     */
    static List<CertificateInfo> parse(String host, String text, Instant now) {
        List<CertificateInfo> all = new ArrayList<>();
        Map<String, String> entry = null;
        for (String line : text.split("\n")) {
            Matcher m = FIELD.matcher(line.stripTrailing());
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1).strip();
            String value = m.group(2).strip();
            if (key.equals("Certificate Name")) {
                if (entry != null) {
                    all.add(toInfo(host, entry, now));
                }
                entry = new LinkedHashMap<>();
            }
            if (entry != null) {
                entry.put(key, value);
            }
        }
        if (entry != null) {
            all.add(toInfo(host, entry, now));
        }
        return all;
    }

    private static CertificateInfo toInfo(String host, Map<String, String> e, Instant now) {
        String name = e.get("Certificate Name");
        Matcher m = EXPIRY.matcher(e.getOrDefault("Expiry Date", ""));
        if (!m.matches()) {
            throw new IllegalArgumentException("certificate " + name + ": no expiry date in certbot's listing");
        }
        Instant expiry;
        try {
            expiry = OffsetDateTime.parse(m.group(1), CERTBOT_TIME).toInstant();
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("certificate " + name + ": expiry date '" + m.group(1) + "' unreadable");
        }
        String status = m.group(2) == null ? "" : m.group(2).strip();
        long days = Math.floorDiv(expiry.getEpochSecond() - now.getEpochSecond(), 86_400L);
        boolean valid = status.startsWith("VALID") && expiry.isAfter(now);
        List<String> domains = List.of(e.getOrDefault("Domains", "").strip().split("\\s+")).stream()
                .filter(d -> !d.isEmpty()).toList();
        return new CertificateInfo(host, name, e.getOrDefault("Serial Number", "").toLowerCase(), e.getOrDefault("Key Type", ""),
                domains, expiry.toString(), days, valid, status, e.getOrDefault("Certificate Path", ""),
                e.getOrDefault("Private Key Path", ""));
    }
}
