package fr.gouv.data.catalogue.ops.internal.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our unified diffs against GNU diff's, hunk for hunk. */
class TextDiffTest {
    @TempDir
    Path tmp;

    private String gnuDiff(String before, String after) throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), before);
        Path b = Files.writeString(tmp.resolve("b"), after);
        Process p = new ProcessBuilder("diff", "-u", a.toString(), b.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        // drop the two header lines (they carry file names and times)
        return out.isEmpty() ? "" : out.substring(out.indexOf('\n', out.indexOf('\n') + 1) + 1);
    }

    private void same(String before, String after) throws Exception {
        String ours = TextDiff.unified(before, after, "/f");
        String body = ours.isEmpty() ? "" : ours.substring(ours.indexOf('\n', ours.indexOf('\n') + 1) + 1);
        assertEquals(gnuDiff(before, after), body, "before:\n" + before + "\nafter:\n" + after);
    }

    @Test
    void equalTextsHaveNoDiff() {
        assertEquals("", TextDiff.unified("a\nb\n", "a\nb\n", "/f"));
    }

    @Test
    void headersAndSimpleCases() throws Exception {
        assertEquals("--- a/etc/x\n+++ b/etc/x\n@@ -0,0 +1,1 @@\n+new\n", TextDiff.unified("", "new\n", "/etc/x"));
        same("a\nb\nc\n", "a\nB\nc\n");
        same("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
                "1\n2\nx\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\ny\n19\n20\nz\n");
    }

    @Test
    void randomEditsMatchGnuDiff() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 40; round++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                lines.add("line " + random.nextInt(12));
            }
            List<String> edited = new ArrayList<>(lines);
            for (int e = 0; e < 1 + random.nextInt(5); e++) {
                int at = random.nextInt(edited.size());
                switch (random.nextInt(3)) {
                    case 0 -> edited.remove(at);
                    case 1 -> edited.add(at, "inserted " + e);
                    default -> edited.set(at, "changed " + e);
                }
            }
            String before = String.join("\n", lines) + "\n";
            String after = String.join("\n", edited) + "\n";
            String ours = TextDiff.unified(before, after, "/f");
            // diff's choice among equally short edit scripts may differ: compare what each applies to
            assertEquals(after, apply(before, ours), "our diff must turn before into after:\n" + ours);
        }
    }

    /** Applies a unified diff of ours to a text (a checker, not a general patch). */
    static String apply(String before, String diff) {
        List<String> src = new ArrayList<>(List.of(before.split("\n")));
        List<String> out = new ArrayList<>();
        int pos = 0;
        String[] lines = diff.split("\n");
        for (int i = 2; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("@@")) {
                int start = Integer.parseInt(l.substring(4, l.indexOf(',')));
                int from = start == 0 ? 0 : start - 1;
                if (l.substring(4, l.indexOf(' ', 4)).endsWith(",0")) {
                    from = start;
                }
                while (pos < from) {
                    out.add(src.get(pos++));
                }
            } else if (l.startsWith(" ")) {
                out.add(src.get(pos++));
            } else if (l.startsWith("-")) {
                pos++;
            } else if (l.startsWith("+")) {
                out.add(l.substring(1));
            }
        }
        while (pos < src.size()) {
            out.add(src.get(pos++));
        }
        return String.join("\n", out) + "\n";
    }
}
