package fr.gouv.data.catalogue.ops.internal.task;

import java.util.ArrayList;
import java.util.List;

/** Unified diffs of small text files (configuration, templates), for --diff. */
public final class TextDiff {
    static final int MAX_LINES = 3000;
    private static final int CONTEXT = 3;

    private TextDiff() {
    }

    /** "--- a/PATH", "+++ b/PATH" and hunks; empty when the texts are equal. */
    public static String unified(String before, String after, String path) {
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        if (a.size() > MAX_LINES || b.size() > MAX_LINES) {
            return "--- a" + path + "\n+++ b" + path + "\n(" + a.size() + " lines before, " + b.size() + " after: too long to diff)\n";
        }
        // longest common subsequence, then the edit script
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String[]> ops = new ArrayList<>(); // {" "|"-"|"+", line}
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                ops.add(new String[] {" ", a.get(i++)});
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new String[] {"-", a.get(i++)}); // deletions first, as diff -u prints them
            } else {
                ops.add(new String[] {"+", b.get(j++)});
            }
        }
        StringBuilder out = new StringBuilder("--- a" + path + "\n+++ b" + path + "\n");
        int k = 0;
        while (k < ops.size()) {
            if (ops.get(k)[0].equals(" ")) {
                k++;
                continue;
            }
            int startOp = Math.max(0, k - CONTEXT);
            int end = k;
            int lastChange = k;
            while (end < ops.size() && end - lastChange <= 2 * CONTEXT) {
                if (!ops.get(end)[0].equals(" ")) {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aLine = 1;
            int bLine = 1;
            for (int x = 0; x < startOp; x++) {
                aLine += ops.get(x)[0].equals("+") ? 0 : 1;
                bLine += ops.get(x)[0].equals("-") ? 0 : 1;
            }
            int aCount = 0;
            int bCount = 0;
            StringBuilder hunk = new StringBuilder();
            for (int x = startOp; x < end; x++) {
                String[] op = ops.get(x);
                hunk.append(op[0]).append(op[1]).append('\n');
                aCount += op[0].equals("+") ? 0 : 1;
                bCount += op[0].equals("-") ? 0 : 1;
            }
            out.append("@@ -").append(aCount == 0 ? aLine - 1 : aLine).append(',').append(aCount)
                    .append(" +").append(bCount == 0 ? bLine - 1 : bLine).append(',').append(bCount).append(" @@\n")
                    .append(hunk);
            k = end;
        }
        return out.toString();
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(body.split("\n", -1));
    }
}
