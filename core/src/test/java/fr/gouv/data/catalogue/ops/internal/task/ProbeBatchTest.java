package fr.gouv.data.catalogue.ops.internal.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
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
        String head = ProbeBatch.MARK + " codes\n0\n1\n" + ProbeBatch.MARK + " sizes\n3 0.o\n0 0.e\n10 1.o\n0 1.e\n13 total\n"
                + ProbeBatch.MARK + " data\n";
        Map<String, ExecResult> r = ProbeBatch.parse("h", probes, (head + "abcshort").getBytes());
        assertEquals("abc", r.get("true").stdout());
        assertEquals(1, r.size(), "the second probe's output is cut short: it is probed again by its task");
        assertEquals(0, ProbeBatch.parse("h", probes, "sh: 1: mktemp: not found\n".getBytes()).size());
    }

    @Test
    void aProbeWithNoOutputAtAllAndManyProbes() throws Exception {
        List<Command> probes = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            probes.add(Command.of("sh", "-c", i % 3 == 0 ? ": " + i : "echo " + i + "; exit " + (i % 7)));
        }
        Process p = new ProcessBuilder(ProbeBatch.command(probes).argv()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Map<String, ExecResult> r = ProbeBatch.parse("h", probes, out);
        assertEquals(40, r.size());
        for (int i = 0; i < 40; i++) {
            ExecResult e = r.get(ProbeBatch.key(probes.get(i)));
            assertEquals(i % 3 == 0 ? "" : i + "\n", e.stdout(), "probe " + i);
            assertEquals(i % 3 == 0 ? 0 : i % 7, e.exitCode(), "probe " + i);
        }
    }
}
