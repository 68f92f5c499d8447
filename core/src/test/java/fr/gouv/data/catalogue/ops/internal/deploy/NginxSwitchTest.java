package fr.gouv.data.catalogue.ops.internal.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's command, run by {@code sh} on this machine against stand-ins for {@code nginx} and
 * {@code ps}: the next upstreams replace the file, a refused configuration puts the previous file
 * back, and the command returns only once every accepting worker is a new one.
 */
class NginxSwitchTest {
    @TempDir
    Path tmp;

    @Test
    void theSwitchIsAFixedScriptWithThePathsAsArguments() {
        List<String> argv = Nginx.install().argv();
        assertEquals(List.of("sh", "30", Nginx.NEXT, Nginx.UPSTREAMS), argv.subList(3, argv.size()));
        assertEquals(List.of("sh", "30"), Nginx.testAndReload().argv().subList(3, 5));
    }

    /** nginx: -t exits with the code in test_rc; -s reload starts worker 21 and makes 11 shut down (after 0.3 s). */
    private Path stubs(int testRc) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(tmp.resolve("workers"), "   11 nginx: worker process\n");
        write(bin.resolve("nginx"), "#!/bin/sh\ncase \"$1\" in -t) exit " + testRc + ";; -s) (sleep 0.3; printf '   11 nginx: worker"
                + " process is shutting down\\n   21 nginx: worker process\\n' > " + tmp.resolve("workers") + ") & echo reload >> "
                + tmp.resolve("calls") + "; exit 0;; esac; exit 0\n");
        write(bin.resolve("ps"), "#!/bin/sh\ncat " + tmp.resolve("workers") + "\n");
        return bin;
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Process run(Command c, Path bin, Path next, Path upstreams) throws Exception {
        List<String> argv = new ArrayList<>(c.argv().subList(0, 5));
        argv.addAll(List.of(next.toString(), upstreams.toString()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        p.waitFor();
        return p;
    }

    @Test
    void theNextUpstreamsReplaceTheFileAndTheCommandEndsOnceOnlyNewWorkersAccept() throws Exception {
        Path bin = stubs(0);
        Path upstreams = Files.writeString(tmp.resolve("upstreams.conf"), "blue\n");
        Path next = Files.writeString(tmp.resolve("next.conf"), "green\n");
        Process p = run(Nginx.install(), bin, next, upstreams);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("green\n", Files.readString(upstreams));
        assertFalse(Files.exists(next));
        assertFalse(Files.exists(tmp.resolve("upstreams.conf.before")));
        assertTrue(Files.readString(tmp.resolve("workers")).contains("21 nginx: worker process\n"),
                "returned only after the new worker came: " + Files.readString(tmp.resolve("workers")));
    }

    @Test
    void aRefusedConfigurationPutsThePreviousFileBackAndDoesNotReload() throws Exception {
        Path bin = stubs(1);
        Path upstreams = Files.writeString(tmp.resolve("upstreams.conf"), "blue\n");
        Path next = Files.writeString(tmp.resolve("next.conf"), "broken\n");
        Process p = run(Nginx.install(), bin, next, upstreams);
        assertEquals(1, p.exitValue());
        assertEquals("blue\n", Files.readString(upstreams));
        assertFalse(Files.exists(tmp.resolve("calls")), "no reload");
    }
}
