package fr.gouv.data.catalogue.ops.internal.remote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTest {
    @Test
    void quotingIsMinimalAndSafe() {
        assertEquals("ls", ShellQuote.quote("ls"));
        assertEquals("/etc/nginx/nginx.conf", ShellQuote.quote("/etc/nginx/nginx.conf"));
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("'a b'", ShellQuote.quote("a b"));
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("'$(rm -rf /)'", ShellQuote.quote("$(rm -rf /)"));
        assertEquals("'`id`'", ShellQuote.quote("`id`"));
        assertEquals("'a\nb'", ShellQuote.quote("a\nb"));
        assertEquals("'é'", ShellQuote.quote("é"));
        assertEquals("'*'", ShellQuote.quote("*"));
        assertEquals("echo 'a b' c", ShellQuote.join(List.of("echo", "a b", "c")));
    }

    @Test
    void composedCommandsRunInOneShellAndStopAtTheFirstFailure() {
        Command first = Command.of("tee", "/tmp/a b").withStdin(new byte[] {1}).withTimeout(java.time.Duration.ofSeconds(5));
        Command both = first.then(Command.of("rm", "-f", "x").withTimeout(java.time.Duration.ofSeconds(7)));
        assertEquals(List.of("sh", "-c", "tee '/tmp/a b' && rm -f x"), both.argv());
        assertArrayEquals(new byte[] {1}, both.stdin());
        assertEquals(java.time.Duration.ofSeconds(12), both.timeout());
        assertEquals("sudo -n -H -u root -- sh -c 'tee '\\''/tmp/a b'\\'' && rm -f x'", both.become("root").commandLine(false));
        assertEquals(List.of("sh", "-c", "a && b 'c d' && e"), Command.all(List.of(Command.of("a"), Command.of("b", "c d"),
                Command.of("e"))).argv(), "flat, however many");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Command.of("true").then(Command.of("cat").withStdin(new byte[] {1})), "only the first reads input");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Command.of("true").become("root").then(Command.of("true")), "become goes on the composition");
    }

    @Test
    void commandLines() {
        Command c = Command.of("systemctl", "reload", "nginx");
        assertEquals("systemctl reload nginx", c.commandLine(false));
        assertEquals("sudo -n -H -u root -- systemctl reload nginx", c.become("root").commandLine(false));
        assertEquals("sudo -S -p '[catalogue-ops sudo password]' -H -u root -- sh -c"
                + " 'echo CATALOGUE-OPS-BECOME-OK >&2; exec \"$@\"' sh systemctl reload nginx",
                c.become("root").commandLine(true));
    }

    @Test
    void theSudoPasswordTravelsOnStandardInputOnceSudoAsksForIt() throws Exception {
        // sudo -S reads the password from standard input; the command line holds its prompt, never the password
        assertEquals(List.of("sudo", "-S", "-p", "[catalogue-ops sudo password]", "-H", "-u", "root", "--", "sh", "-c",
                "echo CATALOGUE-OPS-BECOME-OK >&2; exec \"$@\"", "sh", "id"),
                shellWords(Command.of("id").become("root").commandLine(true)));

        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> problem = new AtomicReference<>();
        SudoDialog dialog = new SudoDialog(stdin, "pä ss".toCharArray(), "asker", started, problem);
        assertFalse(dialog.handle("sudo: unable to resolve host web-1", true), "sudo's other words are the command's errors");
        assertEquals(0, stdin.size(), "nothing is sent before sudo asks");
        assertTrue(dialog.handle(Command.SUDO_PROMPT, false));
        assertArrayEquals("pä ss\n".getBytes(StandardCharsets.UTF_8), stdin.toByteArray(), "the password and a newline, once");
        assertTrue(dialog.handle(Command.BECOME_MARKER, true));
        assertEquals(List.of(0L, "pä ss\n"), List.of(started.getCount(), stdin.toString(StandardCharsets.UTF_8)),
                "the command started; what stdin carries next is the command's");
    }

    @Test
    void aSecondPromptIsARefusalAndGetsNoSecondTry() throws Exception {
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> problem = new AtomicReference<>();
        SudoDialog dialog = new SudoDialog(stdin, "nope".toCharArray(), "asker", started, problem);
        dialog.handle(Command.SUDO_PROMPT, false);
        dialog.handle("Sorry, try again.", true);
        dialog.handle(Command.SUDO_PROMPT, false);
        assertEquals(List.of("nope\n", 0L, "sudo refused the password for asker; check ansible_become_password"),
                List.of(stdin.toString(StandardCharsets.UTF_8), started.getCount(), problem.get()));
    }

    /** The words a POSIX shell makes of a command line, by this machine's own sh (what the host's login shell does). */
    static List<String> shellWords(String line) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "set -- " + line + "; printf '%s\\0' \"$@\"").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return List.of(out.substring(0, out.length() - 1).split("\0", -1));
    }
}
