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
    private static final long SCRIPT_TIMEOUT_SECONDS = 60;

    /** Asks for a password on a terminal; null when there is none. */
    public interface Prompt {
        char[] ask(String question);
    }

    private VaultPasswords() {
    }

    /** Parses {@code [label@]source} as {@code --vault-id} does. */
    public static VaultSecret fromVaultId(String spec, Path baseDir, Prompt prompt) throws ConfigException, VaultException {
        int at = spec.indexOf('@');
        String label = at < 0 ? VaultSecret.DEFAULT_LABEL : spec.substring(0, at);
        String source = at < 0 ? spec : spec.substring(at + 1);
        if (label.isEmpty() || source.isEmpty()) {
            throw new ConfigException("--vault-id " + spec + ": expected [LABEL@]FILE or LABEL@prompt");
        }
        if (source.equals("prompt")) {
            return fromPrompt(label, prompt);
        }
        return fromFile(label, baseDir.resolve(source));
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
        if (!Files.exists(file)) {
            throw new ConfigException("vault password file " + file + " does not exist; create it (one line,"
                    + " chmod 600) or pass --vault-password-file / set CATALOGUE_VAULT_PASSWORD_FILE");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException("vault password file " + file + " is a directory; pass the file itself");
        }
        byte[] raw = Files.isExecutable(file) ? runScript(file) : read(file);
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
            throw new ConfigException("cannot read vault password file " + file + ": " + e.getMessage());
        }
    }

    private static byte[] runScript(Path script) throws VaultException {
        Process process;
        try {
            process = new ProcessBuilder(script.toAbsolutePath().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new VaultException("vault password script " + script + " could not be run: " + e.getMessage());
        }
        try (InputStream out = process.getInputStream()) {
            byte[] stdout = out.readAllBytes();
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new VaultException("vault password script " + script + " did not finish within "
                        + SCRIPT_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                Arrays.fill(stdout, (byte) 0);
                throw new VaultException("vault password script " + script + " failed with exit code "
                        + process.exitValue() + "; run it by hand to see why");
            }
            return stdout;
        } catch (IOException e) {
            throw new VaultException("vault password script " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while running vault password script " + script);
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
