package fr.gouv.data.catalogue.ops.internal.provision;

/**
 * A block of lines between two marker lines in a text file, as Ansible's {@code blockinfile}
 * writes it ({@code # BEGIN ANSIBLE MANAGED BLOCK <name>} ... {@code # END ...}): replaced where
 * it is, appended at the end when missing, the rest of the file untouched.
 */
record ManagedBlock(String name, String body) {
    String begin() {
        return "# BEGIN ANSIBLE MANAGED BLOCK " + name;
    }

    String end() {
        return "# END ANSIBLE MANAGED BLOCK " + name;
    }

    private String block() {
        return begin() + "\n" + (body.endsWith("\n") ? body : body + "\n") + end() + "\n";
    }

    /** {@code text} with this block in it. */
    String applyTo(String text) {
        int from = lineStart(text, begin());
        if (from >= 0) {
            int endAt = lineStart(text.substring(from), end());
            if (endAt >= 0) {
                int after = from + endAt + end().length();
                if (after < text.length() && text.charAt(after) == '\n') {
                    after++;
                }
                return text.substring(0, from) + block() + text.substring(after);
            }
        }
        String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return text + sep + block();
    }

    /** Where the line equal to {@code line} starts, or -1. */
    private static int lineStart(String text, String line) {
        int at = 0;
        while (at <= text.length()) {
            int nl = text.indexOf('\n', at);
            String current = nl < 0 ? text.substring(at) : text.substring(at, nl);
            if (current.equals(line)) {
                return at;
            }
            if (nl < 0) {
                return -1;
            }
            at = nl + 1;
        }
        return -1;
    }
}
