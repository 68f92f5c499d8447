package fr.gouv.data.catalogue.ops.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

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
    void commandLines() {
        Command c = Command.of("systemctl", "reload", "nginx");
        assertEquals("systemctl reload nginx", c.commandLine(false));
        assertEquals("sudo -n -H -u root -- systemctl reload nginx", c.become("root").commandLine(false));
        assertEquals("sudo -S -p '[catalogue-ops sudo password]' -H -u root -- sh -c"
                + " 'echo CATALOGUE-OPS-BECOME-OK >&2; exec \"$@\"' sh systemctl reload nginx",
                c.become("root").commandLine(true));
    }

    @Test
    void thePasswordIsNeverOnTheCommandLine() {
        String line = Command.of("id").become("root").commandLine(true);
        assertFalse(line.contains("asker-sudo-password"));
    }
}
