package fr.gouv.data.catalogue.ops.jenkins;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The build log as the steps write it: line by line, every known secret replaced by {@code ****}
 * before the line reaches Jenkins. Secrets are added as they become known (the vault password,
 * then each decrypted value); a secret of several lines is masked line by line. Values shorter
 * than {@value #MIN_LENGTH} characters are not masked: they would hide ordinary words.
 */
final class MaskingStream extends FilterOutputStream {
    static final int MIN_LENGTH = 4;
    static final String MASK = "****";

    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MaskingStream(OutputStream log) {
        super(log);
    }

    /** A print stream writing through this one. */
    PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    /** Masks this value from now on (each of its lines, for a multi-line value). */
    void add(String secret) {
        if (secret == null) {
            return;
        }
        List<String> parts = new ArrayList<>(List.of(secret.strip()));
        if (secret.contains("\n")) {
            parts.addAll(secret.lines().map(String::strip).toList());
        }
        for (String p : parts) {
            if (p.length() >= MIN_LENGTH && !secrets.contains(p)) {
                secrets.add(p);
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** Masks the value and its percent-encoded and JSON-quoted forms, as they may appear in URLs and documents. */
    void addWithForms(String secret) {
        add(secret);
        if (secret != null) {
            add(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
            add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            flushLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** Passes on whole lines only: a secret split between two flushes would escape the mask. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Writes the last, unfinished line (masked); the log itself stays open: it is Jenkins'. */
    @Override
    public synchronized void close() throws IOException {
        flushLine();
        out.flush();
    }

    private void flushLine() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(masked(text).getBytes(StandardCharsets.UTF_8));
    }

    /** The text with every known secret replaced, longest first. */
    String masked(String text) {
        String result = text;
        for (String s : secrets) {
            result = result.replace(s, MASK);
        }
        return result;
    }
}
