package fr.gouv.data.catalogue.ops.task;

import fr.gouv.data.catalogue.ops.remote.Command;
import fr.gouv.data.catalogue.ops.remote.ExecResult;
import fr.gouv.data.catalogue.ops.remote.RemoteException;
import fr.gouv.data.catalogue.ops.remote.ShellQuote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every task's probe in one command, so that a run where nothing differs costs one round trip
 * instead of one per task. Each probe keeps its own exit code, output and error output.
 */
final class ProbeBatch {
    static final String MARK = "@@catalogue-ops-probe";

    private ProbeBatch() {
    }

    /** The script: each probe's streams and status into a private temporary folder, then printed with their lengths. */
    static Command command(List<Command> probes) {
        StringBuilder script = new StringBuilder("d=$(mktemp -d) || exit 1; trap 'rm -rf \"$d\"' EXIT\n");
        for (int i = 0; i < probes.size(); i++) {
            script.append('(').append(ShellQuote.join(probes.get(i).argv())).append(") >\"$d/").append(i).append(".o\" 2>\"$d/")
                    .append(i).append(".e\" </dev/null; echo $? >\"$d/").append(i).append(".c\"\n");
        }
        script.append("i=0; while [ $i -lt ").append(probes.size()).append(" ]; do printf '").append(MARK)
                .append(" %s %s %s %s\\n' $i \"$(cat \"$d/$i.c\")\" \"$(wc -c <\"$d/$i.o\")\" \"$(wc -c <\"$d/$i.e\")\";"
                        + " cat \"$d/$i.o\" \"$d/$i.e\"; i=$((i + 1)); done\n");
        return Command.of("sh", "-c", script.toString());
    }

    /** Splits the batch's output back into one result per probe, keyed by {@link #key}. */
    static Map<String, ExecResult> parse(String host, List<Command> probes, byte[] out) {
        Map<String, ExecResult> results = new LinkedHashMap<>();
        int pos = 0;
        for (Command probe : probes) {
            int end = indexOf(out, (byte) '\n', pos);
            if (end < 0) {
                break;
            }
            String[] header = new String(out, pos, end - pos, StandardCharsets.UTF_8).split(" ");
            if (header.length != 5 || !header[0].equals(MARK)) {
                break;
            }
            int outLen;
            int errLen;
            try {
                outLen = Integer.parseInt(header[3].strip());
                errLen = Integer.parseInt(header[4].strip());
                Integer.parseInt(header[2].strip());
            } catch (NumberFormatException e) {
                break;
            }
            int start = end + 1;
            if (outLen < 0 || errLen < 0 || (long) start + outLen + errLen > out.length) {
                break;
            }
            String stdout = new String(Arrays.copyOfRange(out, start, start + outLen), StandardCharsets.UTF_8);
            String stderr = new String(Arrays.copyOfRange(out, start + outLen, start + outLen + errLen), StandardCharsets.UTF_8);
            results.put(key(probe), new ExecResult(host, Integer.parseInt(header[2].strip()), stdout, stderr, Duration.ZERO));
            pos = start + outLen + errLen;
        }
        return results;
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

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
