package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.RemoteException;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import java.util.HashMap;
import java.util.Map;

/**
 * A host during a play: its connection, whether commands must go through sudo (a login that is
 * not root), and facts probed once and shared by the tasks. Check mode is not here: the runner
 * alone knows it, so no task can plan differently in it.
 */
public final class HostContext {
    private final Remote remote;
    private final String becomeUser;
    private final HostVariables variables;
    private final Map<String, Object> facts = new HashMap<>();
    private final Map<String, ExecResult> prefetched = new HashMap<>();
    private boolean lost;

    /**
     * @param becomeUser "root" when the login user must escalate, null when it is root already
     * @param variables  the host's variables, for templates and conditions (null: none)
     */
    public HostContext(Remote remote, String becomeUser, HostVariables variables) {
        this.remote = remote;
        this.becomeUser = becomeUser;
        this.variables = variables;
    }

    /** The host's variables; a task that needs them fails clearly when there are none. */
    public HostVariables variables() throws TaskFailure {
        if (variables == null) {
            throw new TaskFailure("this task needs the host's variables, and the play was given none");
        }
        return variables;
    }

    public String host() {
        return remote.host();
    }

    public Remote remote() {
        return remote;
    }

    public String becomeUser() {
        return becomeUser;
    }

    /** The command as root: through sudo when the login is not root. */
    public Command privileged(Command command) {
        return becomeUser == null ? command : command.become(becomeUser);
    }

    /**
     * Runs a command as root and returns its result, whatever its exit code. A probe the play ran
     * in its batch at the start is answered from there, as long as nothing was changed since.
     */
    public ExecResult run(Command command) throws RemoteException {
        ExecResult known = prefetched.get(ProbeBatch.key(command));
        if (known != null && command.stdin().length == 0) {
            return known;
        }
        return remote.exec(privileged(command));
    }

    /** The connection was lost during the play: the host counts as unreachable in the recap. */
    void lost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }

    /** Runs the tasks' probes in one command; their answers serve until {@link #changed()}. */
    void prefetch(java.util.List<Command> probes) throws RemoteException {
        prefetched.putAll(ProbeBatch.run(this, probes));
    }

    /** The host was changed: answers probed before no longer hold. */
    void changed() {
        prefetched.clear();
    }

    /** Runs a command as root; a non-zero exit is a failure naming the command and its last error line. */
    public ExecResult runOk(Command command) throws OpsException {
        ExecResult r = run(command);
        if (!r.ok()) {
            throw new TaskFailure("`" + command + "` failed (exit " + r.exitCode() + "): " + lastLine(r));
        }
        return r;
    }

    /** Runs a command as the login user (no sudo), e.g. in its home; a non-zero exit is a failure. */
    public ExecResult runAsLoginOk(Command command) throws OpsException {
        ExecResult r = remote.exec(command);
        if (!r.ok()) {
            throw new TaskFailure("`" + command + "` failed (exit " + r.exitCode() + "): " + lastLine(r));
        }
        return r;
    }

    /** The login user's home folder ({@code ansible_env.HOME}), asked once per host and play. */
    public String loginHome() throws OpsException {
        return fact("login home", h -> {
            ExecResult r = h.remote.exec(Command.of("sh", "-c", "printf %s \"$HOME\""));
            String home = r.stdout().strip();
            if (!r.ok() || !home.startsWith("/")) {
                throw new TaskFailure("cannot tell the login user's home folder (HOME is '" + home + "')");
            }
            return home;
        });
    }

    static String lastLine(ExecResult r) {
        String text = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        return text.isEmpty() ? "no output" : text.substring(text.lastIndexOf('\n') + 1);
    }

    /** A fact probed once per host and play (e.g. whether systemd runs). */
    @SuppressWarnings("unchecked")
    public <T> T fact(String name, FactProbe<T> probe) throws OpsException {
        if (!facts.containsKey(name)) {
            facts.put(name, probe.probe(this));
        }
        return (T) facts.get(name);
    }

    @FunctionalInterface
    public interface FactProbe<T> {
        T probe(HostContext host) throws OpsException;
    }
}
