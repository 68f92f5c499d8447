package fr.gouv.data.catalogue.ops.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.remote.Command;
import fr.gouv.data.catalogue.ops.remote.ExecResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch script, run by this machine's own sh, gives each probe back its status and streams. */
class ProbeBatchTest {
    @Test
    void eachProbeKeepsItsStatusOutputAndErrors() throws Exception {
        List<Command> probes = List.of(
                Command.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                Command.of("printf", "%s|", "it's", "$(no)", "é 日本", "a\nb"),
                Command.of("test", "-e", "/nonexistent path"),
                Command.of("sh", "-c", "printf 'no newline'"));
        Command batch = ProbeBatch.command(probes);
        Process p = new ProcessBuilder(batch.argv()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Map<String, ExecResult> r = ProbeBatch.parse("h", probes, out);
        assertEquals(4, r.size());
        ExecResult first = r.get(ProbeBatch.key(probes.get(0)));
        assertEquals(3, first.exitCode());
        assertEquals("out\n", first.stdout());
        assertEquals("err\n", first.stderr());
        assertEquals("it's|$(no)|é 日本|a\nb|", r.get(ProbeBatch.key(probes.get(1))).stdout(), "arguments arrive byte-exact");
        assertEquals(1, r.get(ProbeBatch.key(probes.get(2))).exitCode());
        assertEquals("no newline", r.get(ProbeBatch.key(probes.get(3))).stdout());
    }

    @Test
    void aTruncatedAnswerKeepsOnlyWhatIsWhole() {
        List<Command> probes = List.of(Command.of("true"), Command.of("false"));
        byte[] out = (ProbeBatch.MARK + " 0 0 3 0\nabc" + ProbeBatch.MARK + " 1 1 10 0\nshort").getBytes();
        Map<String, ExecResult> r = ProbeBatch.parse("h", probes, out);
        assertEquals("abc", r.get("true").stdout());
        assertEquals(1, r.size(), "the second probe's output is cut short: it is probed again by its task");
    }
}
