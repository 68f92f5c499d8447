package fr.gouv.data.catalogue.ops.internal.remote;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns argv into one POSIX shell command line that the remote shell splits back into exactly
 * the same words: every word that is not plainly safe goes in single quotes, and a single quote
 * becomes {@code '\''}. Nothing inside single quotes is special ($, `, \, newlines included).
 */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    public static String quote(String word) {
        if (word.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        StringBuilder out = new StringBuilder();
        for (String word : argv) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(quote(word));
        }
        return out.toString();
    }
}
