package fr.gouv.data.catalogue.ops.internal.environment;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges: {@code web[01:03].example.org}, {@code db-[a:c]}, {@code n[0:10:2]},
 * several ranges in one name. Zero-padded bounds keep their width.
 */
final class HostRange {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    /** Far more hosts than an inventory of this service holds, yet refused at once instead of filling the memory. */
    static final int MAX_HOSTS = 10_000;

    private HostRange() {
    }

    /** @throws IllegalArgumentException with a message saying what is wrong with the range */
    static List<String> expand(String pattern) {
        int open = pattern.indexOf('[');
        if (open < 0) {
            if (pattern.indexOf(']') >= 0) {
                throw new IllegalArgumentException("']' without '[' in host pattern '" + pattern + "'");
            }
            return List.of(pattern);
        }
        int close = pattern.indexOf(']', open);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed '[' in host pattern '" + pattern + "'");
        }
        String head = pattern.substring(0, open);
        String range = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        String[] bounds = range.split(":", -1);
        if (bounds.length < 2 || bounds.length > 3) {
            throw new IllegalArgumentException("host range [" + range + "] must be [begin:end] or [begin:end:step]");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        int step = 1;
        if (bounds.length == 3) {
            step = parseInt(bounds[2], range);
            if (step < 1) {
                throw new IllegalArgumentException("host range [" + range + "] needs a positive step");
            }
        }
        if (end.isEmpty()) {
            throw new IllegalArgumentException("host range [" + range + "] has no end");
        }
        boolean letters = isLetter(begin) && isLetter(end);
        if (!letters && (isLetter(begin) || isLetter(end)) && (isDigits(begin) || isDigits(end))) {
            throw new IllegalArgumentException("host range [" + range + "] mixes a letter and a number; letters and"
                    + " numbers cannot be mixed in a range: write [a:z] or [1:9]");
        }
        List<String> items = new ArrayList<>();
        if (letters) {
            int b = LETTERS.indexOf(begin);
            int e = LETTERS.indexOf(end);
            if (b > e) {
                throw new IllegalArgumentException("host range [" + range + "] must have begin <= end");
            }
            for (int i = b; i <= e; i += step) {
                items.add(String.valueOf(LETTERS.charAt(i)));
            }
        } else {
            int b = parseInt(begin, range);
            int e = parseInt(end, range);
            if (b > e) {
                throw new IllegalArgumentException("host range [" + range + "] must have begin <= end");
            }
            boolean padded = begin.length() > 1 && begin.startsWith("0");
            if (padded && begin.length() != end.length()) {
                throw new IllegalArgumentException("host range [" + range + "] must give begin and end the same width");
            }
            long count = ((long) e - b) / step + 1;
            if (count > MAX_HOSTS) {
                throw tooMany("host range [" + range + "]", count);
            }
            for (int i = b; i <= e; i += step) {
                items.add(padded ? String.format("%0" + begin.length() + "d", i) : Integer.toString(i));
            }
        }
        List<String> rests = expand(tail);
        if ((long) rests.size() * items.size() > MAX_HOSTS) {
            throw tooMany("host pattern '" + pattern + "'", (long) rests.size() * items.size());
        }
        List<String> hosts = new ArrayList<>();
        for (String rest : rests) {
            for (String item : items) {
                hosts.add(head + item + rest);
            }
        }
        return hosts;
    }

    private static IllegalArgumentException tooMany(String what, long count) {
        return new IllegalArgumentException(what + " makes " + count + " hosts, more than the limit of "
                + MAX_HOSTS + "; narrow the range or split the inventory");
    }

    private static boolean isLetter(String s) {
        return s.length() == 1 && LETTERS.indexOf(s) >= 0;
    }

    private static boolean isDigits(String s) {
        return s.matches("[0-9]+");
    }

    private static int parseInt(String s, String range) {
        if (!isDigits(s)) {
            throw new IllegalArgumentException("host range [" + range + "]: '" + s + "' is not a number or a single letter");
        }
        if (s.length() > 9) {
            throw new IllegalArgumentException("host range [" + range + "]: '" + s + "' is too large; a range makes at most "
                    + MAX_HOSTS + " hosts");
        }
        return Integer.parseInt(s);
    }
}
