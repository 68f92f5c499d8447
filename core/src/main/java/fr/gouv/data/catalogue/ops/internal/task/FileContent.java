package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file with exactly this content, mode and owner (Ansible's copy and template). Probed with one
 * command (mode, owner, SHA-256); written atomically. A secret file never shows its content in a diff.
 */
public final class FileContent implements Task {
    private final String name;
    private final String path;
    private final byte[] content;
    private final String mode;
    private final String owner;
    private final boolean secret;
    private final Set<String> tags;
    private final List<String> notifies;

    public FileContent(String name, String path, byte[] content, String mode, String owner, boolean secret,
                       Set<String> tags, List<String> notifies) {
        if (!mode.matches("0?[0-7]{3,4}") || !owner.matches("[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*")) {
            throw new IllegalArgumentException("mode must be octal and owner user:group: " + mode + " " + owner);
        }
        this.name = name;
        this.path = path;
        this.content = content.clone();
        this.mode = mode;
        this.owner = owner;
        this.secret = secret;
        this.tags = Set.copyOf(tags);
        this.notifies = List.copyOf(notifies);
    }

    public static FileContent of(String name, String path, String text, String mode, String owner) {
        return new FileContent(name, path, text.getBytes(StandardCharsets.UTF_8), mode, owner, false, Set.of(), List.of());
    }

    public FileContent notifying(String... handlers) {
        return new FileContent(name, path, content, mode, owner, secret, tags, List.of(handlers));
    }

    public FileContent tagged(String... more) {
        return new FileContent(name, path, content, mode, owner, secret, Set.of(more), notifies);
    }

    public FileContent secret() {
        return new FileContent(name, path, content, mode, owner, true, tags, notifies);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> tags() {
        return tags;
    }

    @Override
    public List<String> notifies() {
        return notifies;
    }

    /** Prints "absent", or "MODE USER:GROUP" then sha256sum's line. */
    static Command probeCommand(String path) {
        return Command.of("sh", "-c", "if [ -e \"$1\" ]; then stat -c '%a %U:%G' \"$1\" && sha256sum \"$1\"; else echo absent; fi",
                "sh", path);
    }

    /** The file as the probe saw it; null when it is absent. */
    record State(int mode, String owner, String sha256) {
        private static final Pattern STAT = Pattern.compile("([0-7]{3,4}) (\\S+:\\S+)");
        /** sha256sum's line; a leading backslash marks a name it had to escape. */
        private static final Pattern SUM = Pattern.compile("\\\\?([0-9a-f]{64}) .*");

        static State parse(Command probe, ExecResult answer) throws TaskFailure {
            String[] lines = answer.stdout().strip().split("\n");
            if (lines.length == 1 && lines[0].equals("absent")) {
                return null;
            }
            Matcher stat = STAT.matcher(lines[0]);
            Matcher sum = SUM.matcher(lines.length == 2 ? lines[1] : "");
            if (lines.length != 2 || !stat.matches() || !sum.matches()) {
                throw TaskFailure.unexpectedAnswer(probe, answer);
            }
            return new State(Integer.parseInt(stat.group(1), 8), stat.group(2), sum.group(1));
        }
    }

    @Override
    public List<Command> probes(HostContext host) {
        return List.of(probeCommand(path));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Command probe = probeCommand(path);
        State now = State.parse(probe, host.runOk(probe));
        String wanted = sha256(content);
        int wantedMode = Integer.parseInt(mode, 8);
        if (now != null && now.sha256().equals(wanted) && now.mode() == wantedMode && now.owner().equals(owner)) {
            return Change.none();
        }
        Change.Action write = h -> h.remote().upload(content, path, mode, owner, h.becomeUser());
        if (now == null) {
            return Change.of("create " + path, diff(host, null), write);
        }
        if (!now.sha256().equals(wanted)) {
            return Change.of("update " + path, diff(host, now), write);
        }
        return Change.of("set " + path + " to " + mode + " " + owner + " (was " + Integer.toOctalString(now.mode()) + " "
                + now.owner() + ")", "", write);
    }

    private String diff(HostContext host, State now) throws OpsException {
        if (secret) {
            return "(" + path + ": content not shown, it holds secrets)\n";
        }
        String before = "";
        if (now != null) {
            byte[] old = host.runOk(Command.of("cat", "--", path)).stdout().getBytes(StandardCharsets.UTF_8);
            before = new String(old, StandardCharsets.UTF_8);
        }
        return TextDiff.unified(before, new String(content, StandardCharsets.UTF_8), path);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
