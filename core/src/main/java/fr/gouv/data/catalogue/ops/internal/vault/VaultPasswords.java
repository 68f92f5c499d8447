package fr.gouv.data.catalogue.ops.internal.vault;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads vault passwords the way Ansible does: a plain file has surrounding whitespace stripped;
 * an executable file is run and its standard output, stripped of line breaks, is the password;
 * {@code --vault-id label@source} names the label, and the source {@code prompt} asks on the terminal.
 */
public final class VaultPasswords {
    /**
     * How long a password script may run, and whom to tell, after {@code noticeAfter}, that we wait for
     * it (a script may wait for something: a prompt, a locked keyring, a network).
     */
    public record ScriptWait(java.time.Duration timeout, java.time.Duration noticeAfter,
                             java.util.function.Consumer<String> notice) {
        public static final ScriptWait DEFAULT = new ScriptWait(java.time.Duration.ofSeconds(60),
                java.time.Duration.ofSeconds(2), message -> { });
    }

    /** Asks for a password on a terminal; null when there is none. */
    public interface Prompt {
        char[] ask(String question);
    }

    private VaultPasswords() {
    }

    /** Parses {@code [label@]source} as {@code --vault-id} does. */
    public static VaultSecret fromVaultId(String spec, Path baseDir, Prompt prompt) throws ConfigException, VaultException {
        return fromVaultId(spec, baseDir, prompt, ScriptWait.DEFAULT);
    }

    public static VaultSecret fromVaultId(String spec, Path baseDir, Prompt prompt, ScriptWait wait)
            throws ConfigException, VaultException {
        int at = spec.indexOf('@');
        String label = at < 0 ? VaultSecret.DEFAULT_LABEL : spec.substring(0, at);
        String source = at < 0 ? spec : spec.substring(at + 1);
        if (label.isEmpty() || source.isEmpty()) {
            throw new ConfigException("--vault-id " + spec + ": expected [LABEL@]FILE or LABEL@prompt");
        }
        if (source.equals("prompt")) {
            return fromPrompt(label, prompt);
        }
        return fromFile(label, baseDir.resolve(source), wait);
    }

    public static VaultSecret fromPrompt(String label, Prompt prompt) throws ConfigException {
        char[] typed = prompt == null ? null : prompt.ask("Vault password (" + label + "): ");
        if (typed == null) {
            throw new ConfigException("a vault password prompt needs a terminal; pass --vault-password-file instead");
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
        byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        Arrays.fill(typed, '\0');
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            return fromBytes(label, strip(bytes, true), "prompt");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public static VaultSecret fromFile(String label, Path file) throws ConfigException, VaultException {
        return fromFile(label, file, ScriptWait.DEFAULT);
    }

    public static VaultSecret fromFile(String label, Path file, ScriptWait wait) throws ConfigException, VaultException {
        if (!Files.exists(file)) {
            throw new ConfigException("vault password file " + file + " does not exist; create it (one line,"
                    + " chmod 600) or pass --vault-password-file / set CATALOGUE_VAULT_PASSWORD_FILE");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException("vault password file " + file + " is a directory; pass the file itself");
        }
        byte[] raw = Files.isExecutable(file) ? runScript(file, wait) : read(file);
        byte[] password = strip(raw, !Files.isExecutable(file));
        Arrays.fill(raw, (byte) 0);
        try {
            return fromBytes(label, password, file.toString());
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static VaultSecret fromBytes(String label, byte[] password, String source) throws ConfigException {
        if (password.length == 0) {
            throw new ConfigException("vault password from " + source + " is empty; put the password in it");
        }
        return new VaultSecret(label, password, source);
    }

    private static byte[] read(Path file) throws ConfigException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read vault password file " + file + ": "
                    + fr.gouv.data.catalogue.ops.internal.fs.AtomicFile.reason(e));
        }
    }

    private static byte[] runScript(Path script, ScriptWait wait) throws ConfigException, VaultException {
        Process process;
        try {
            process = new ProcessBuilder(script.toAbsolutePath().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw cannotStart(script, e);
        }
        // Read on another thread: a script that never ends would block a read here, and the timeout with it.
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream out = process.getInputStream()) {
                out.transferTo(stdout);
            } catch (IOException ignored) {
                // the process was killed, or closed its output: what was read is kept
            }
        }, "catalogue-ops-password-script");
        reader.setDaemon(true);
        reader.start();
        try {
            long timeout = wait.timeout().toMillis();
            long notice = Math.min(wait.noticeAfter().toMillis(), timeout);
            boolean done = process.waitFor(notice, TimeUnit.MILLISECONDS);
            if (!done && notice < timeout) {
                wait.notice().accept("waiting for vault password script " + script + " (up to "
                        + wait.timeout().toSeconds() + " s)...");
                done = process.waitFor(timeout - notice, TimeUnit.MILLISECONDS);
            }
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new VaultException("vault password script " + script + " did not finish within "
                        + wait.timeout().toSeconds() + " s and was stopped; run it by hand to see what it waits for");
            }
            reader.join(wait.timeout().toMillis());
            byte[] bytes;
            synchronized (stdout) {
                bytes = stdout.toByteArray();
            }
            if (process.exitValue() != 0) {
                Arrays.fill(bytes, (byte) 0);
                throw new VaultException("vault password script " + script + " failed with exit code "
                        + process.exitValue() + "; run it by hand to see why");
            }
            return bytes;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while running vault password script " + script);
        }
    }

    /** Why an executable password file could not be started, in the user's terms rather than errno's. */
    private static ConfigException cannotStart(Path script, IOException e) {
        String message = String.valueOf(e.getMessage());
        String interpreter = interpreterOf(script);
        if (message.contains("error=2,") && interpreter != null) {
            return new ConfigException("vault password script " + script + " cannot run: its interpreter '"
                    + interpreter + "' (its #! line) does not exist; install it or fix the #! line, or make the file"
                    + " not executable (chmod -x) to use its content as the password");
        }
        if (message.contains("error=8,") || message.contains("error=2,")) {
            return new ConfigException("vault password script " + script + " is executable but is not a program"
                    + " (no #! line); make it not executable (chmod -x) to use its content as the password");
        }
        if (message.contains("error=13,")) {
            return new ConfigException("vault password script " + script + " cannot run: permission denied"
                    + " (its interpreter, or a folder on its path, is not executable)");
        }
        return new ConfigException("vault password script " + script + " cannot run: "
                + message.replaceFirst("^Cannot run program \"[^\"]*\"(: )?", "").replaceAll("error=\\d+, ", ""));
    }

    private static String interpreterOf(Path script) {
        try (InputStream in = Files.newInputStream(script)) {
            String first = new String(in.readNBytes(256), java.nio.charset.StandardCharsets.UTF_8).split("\n", 2)[0];
            if (!first.startsWith("#!")) {
                return null;
            }
            String[] words = first.substring(2).strip().split("\\s+");
            return words[0].isEmpty() ? null : words[0];
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Python's {@code bytes.strip()} (all ASCII whitespace) for files, {@code strip(b'\r\n')} for scripts.
     */
    static byte[] strip(byte[] raw, boolean allWhitespace) {
        int start = 0;
        int end = raw.length;
        while (start < end && stripped(raw[start], allWhitespace)) {
            start++;
        }
        while (end > start && stripped(raw[end - 1], allWhitespace)) {
            end--;
        }
        return Arrays.copyOfRange(raw, start, end);
    }

    private static boolean stripped(byte b, boolean allWhitespace) {
        if (b == '\r' || b == '\n') {
            return true;
        }
        return allWhitespace && (b == ' ' || b == '\t' || b == 0x0b || b == 0x0c);
    }
}
