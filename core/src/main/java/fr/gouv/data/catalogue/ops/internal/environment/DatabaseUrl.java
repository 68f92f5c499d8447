package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@code database_url} as the guide demands: the password part must be percent-encoded.
 * Characters outside RFC 3986's unreserved set ({@code A-Z a-z 0-9 - . _ ~}) that are not part of a
 * {@code %XX} escape are reported, with their encoded form.
 */
public final class DatabaseUrl {
    private DatabaseUrl() {
    }

    /** What is wrong with the URL's password, without ever quoting the password itself. */
    public record PasswordProblem(Set<String> characters, String encodings, String encodedUrl) {
    }

    /** A structural problem (no scheme, no host), or empty when the URL has the expected shape. */
    public static Optional<String> shapeProblem(String url) {
        int scheme = url.indexOf("://");
        if (scheme <= 0) {
            return Optional.of("is not a URL (expected postgresql://USER:PASSWORD@HOST:PORT/DB)");
        }
        String name = url.substring(0, scheme);
        if (!name.matches("postgres(ql)?(\\+[a-z0-9]+)?")) {
            return Optional.of("has scheme '" + name + "', expected postgresql://");
        }
        String rest = url.substring(scheme + 3);
        int at = rest.lastIndexOf('@');
        String hostPart = at < 0 ? rest : rest.substring(at + 1);
        if (hostPart.isEmpty() || hostPart.startsWith("/")) {
            return Optional.of("has no host (expected postgresql://USER:PASSWORD@HOST:PORT/DB)");
        }
        return Optional.empty();
    }

    public static Optional<PasswordProblem> passwordProblem(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return Optional.empty();
        }
        String rest = url.substring(scheme + 3);
        int at = rest.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String userinfo = rest.substring(0, at);
        int colon = userinfo.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String password = userinfo.substring(colon + 1);
        Set<String> bad = new LinkedHashSet<>();
        StringBuilder encodings = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        int i = 0;
        while (i < password.length()) {
            int cp = password.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            if (isUnreserved(cp)) {
                encoded.append(ch);
            } else if (cp == '%' && isHex(password, i + 1) && isHex(password, i + 2)) {
                encoded.append(password, i, i + 3);
                i += 3;
                continue;
            } else {
                String enc = percentEncode(ch);
                if (bad.add(ch)) {
                    encodings.append(encodings.length() == 0 ? "" : ", ").append('\'').append(ch).append("' -> ").append(enc);
                }
                encoded.append(enc);
            }
            i += Character.charCount(cp);
        }
        if (bad.isEmpty()) {
            return Optional.empty();
        }
        String encodedUrl = url.substring(0, scheme + 3) + userinfo.substring(0, colon + 1) + encoded + rest.substring(at);
        return Optional.of(new PasswordProblem(bad, encodings.toString(), encodedUrl));
    }

    private static boolean isHex(String s, int index) {
        return index < s.length() && Character.digit(s.charAt(index), 16) >= 0;
    }

    private static boolean isUnreserved(int cp) {
        return cp < 128 && (Character.isLetterOrDigit(cp) || cp == '-' || cp == '.' || cp == '_' || cp == '~');
    }

    /** The parts of a database URL a server is set up with; the user and password percent-decoded. */
    public record Parts(String user, String password, String host, int port, String database) {
    }

    /** Splits postgresql://USER:PASSWORD@HOST[:PORT]/DATABASE, or says what is wrong (never the password). */
    public static Parts parse(String url) throws ConfigException {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("postgres(?:ql)?://([^:@/]+):([^@/]*)@([^:/]+)(?::([0-9]{1,5}))?/([A-Za-z0-9_]+)")
                .matcher(url);
        if (!m.matches()) {
            throw new ConfigException("database_url must look like postgresql://USER:PASSWORD@HOST[:PORT]/DATABASE"
                    + " with the password percent-encoded");
        }
        return new Parts(decode(m.group(1)), decode(m.group(2)), m.group(3),
                m.group(4) == null ? 5432 : Integer.parseInt(m.group(4)), m.group(5));
    }

    private static String decode(String text) throws ConfigException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (!isHex(text, i + 1) || !isHex(text, i + 2)) {
                    throw new ConfigException("database_url: a '%' that starts no %XX escape in the user or password");
                }
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A user name or password as the userinfo of a URL wants it: every reserved character %XX-encoded. */
    public static String encodeUserinfo(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (isUnreserved(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(percentEncode(new String(Character.toChars(cp))));
            }
        });
        return out.toString();
    }

    static String percentEncode(String ch) {
        StringBuilder out = new StringBuilder();
        for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return out.toString();
    }
}
