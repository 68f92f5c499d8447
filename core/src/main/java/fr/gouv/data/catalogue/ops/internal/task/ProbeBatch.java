package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.ShellQuote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every task's probe in one command, so that a run where nothing differs costs one round trip
 * instead of one per task. The probes only read, so they run side by side on the host; each keeps
 * its own exit code, output and error output.
 */
final class ProbeBatch {
    static final String MARK = "@@catalogue-ops-probe";

    private ProbeBatch() {
    }

    /**
     * The script: the probes start side by side, each writing its streams and status into a private
     * temporary folder; once all are done, three commands print every status, every size ({@code
     * wc -c}) and every stream, in probe order. A few processes in all, not a few per probe: on a
     * host, process starts are most of a no-op run's time.
     */
    static Command command(List<Command> probes) {
        StringBuilder script = new StringBuilder("d=$(mktemp -d) || exit 1; trap 'rm -rf \"$d\"' EXIT\n");
        StringBuilder codes = new StringBuilder();
        StringBuilder streams = new StringBuilder();
        for (int i = 0; i < probes.size(); i++) {
            script.append("{ ").append(ShellQuote.join(probes.get(i).argv())).append(" >\"$d/").append(i).append(".o\" 2>\"$d/")
                    .append(i).append(".e\" </dev/null; echo $? >\"$d/").append(i).append(".c\"; } &\n");
            codes.append(' ').append(i).append(".c");
            streams.append(' ').append(i).append(".o ").append(i).append(".e");
        }
        script.append("wait; cd \"$d\" || exit 1\n")
                .append("echo '").append(MARK).append(" codes'; cat").append(codes).append('\n')
                .append("echo '").append(MARK).append(" sizes'; wc -c").append(streams).append('\n')
                .append("echo '").append(MARK).append(" data'; cat").append(streams).append('\n');
        return Command.of("sh", "-c", script.toString());
    }

    /** Splits the batch's output back into one result per probe, keyed by {@link #key}; a cut answer keeps the whole ones. */
    static Map<String, ExecResult> parse(String host, List<Command> probes, byte[] out) {
        Map<String, ExecResult> results = new LinkedHashMap<>();
        byte[] dataMark = ("\n" + MARK + " data\n").getBytes(StandardCharsets.US_ASCII);
        int data = indexOf(out, dataMark, 0);
        if (data < 0) {
            return results;
        }
        String[] head = new String(out, 0, data, StandardCharsets.UTF_8).split("\n");
        int n = probes.size();
        // the codes' mark, n codes, the sizes' mark, two sizes per probe (then wc's total)
        if (head.length < 3 * n + 2 || !head[0].equals(MARK + " codes") || !head[n + 1].equals(MARK + " sizes")) {
            return results;
        }
        int pos = data + dataMark.length;
        try {
            for (int i = 0; i < n; i++) {
                int code = Integer.parseInt(head[1 + i].strip());
                int outLen = size(head[n + 2 + 2 * i], i + ".o");
                int errLen = size(head[n + 3 + 2 * i], i + ".e");
                if ((long) pos + outLen + errLen > out.length) {
                    break;
                }
                String stdout = new String(out, pos, outLen, StandardCharsets.UTF_8);
                String stderr = new String(out, pos + outLen, errLen, StandardCharsets.UTF_8);
                results.put(key(probes.get(i)), new ExecResult(host, code, stdout, stderr, Duration.ZERO));
                pos += outLen + errLen;
            }
        } catch (NumberFormatException malformed) {
            // what was read whole stays; the rest is probed again by its tasks
        }
        return results;
    }

    /** A line of {@code wc -c}: "  12 3.o". */
    private static int size(String line, String file) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 2 || !parts[1].equals(file)) {
            throw new NumberFormatException("not the size of " + file + ": " + line);
        }
        int n = Integer.parseInt(parts[0]);
        if (n < 0) {
            throw new NumberFormatException(line);
        }
        return n;
    }

    static String key(Command command) {
        return ShellQuote.join(command.argv());
    }

    /** Runs the probes in one command; what could not be batched is simply probed again by its task. */
    static Map<String, ExecResult> run(HostContext host, List<Command> probes) throws RemoteException {
        Map<String, Command> byKey = new LinkedHashMap<>();
        for (Command p : probes) {
            byKey.putIfAbsent(key(p), p);
        }
        List<Command> unique = new ArrayList<>(byKey.values());
        if (unique.size() < 2) {
            return Map.of();
        }
        ExecResult r = host.remote().exec(host.privileged(command(unique)));
        if (!r.ok()) {
            return Map.of();
        }
        return parse(host.host(), unique, r.stdout().getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] bytes, byte[] what, int from) {
        outer:
        for (int i = from; i <= bytes.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
