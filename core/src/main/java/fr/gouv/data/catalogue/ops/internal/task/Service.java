package fr.gouv.data.catalogue.ops.internal.task;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import java.util.Set;

/**
 * A service running and started at boot: with systemd where the host runs it, else with the
 * init scripts ({@code service}, {@code update-rc.d}), as on hosts without systemd (containers,
 * the test hosts).
 */
public record Service(String service, Set<String> tags) implements Task {
    public enum Init { SYSTEMD, SYSV }

    public Service {
        if (!service.matches("[a-zA-Z0-9@._-]+")) {
            throw new IllegalArgumentException("not a service name: '" + service + "'");
        }
        tags = Set.copyOf(tags);
    }

    public static Service of(String service) {
        return new Service(service, Set.of());
    }

    @Override
    public String name() {
        return "service " + service + " running and enabled";
    }

    static Command initProbe() {
        return Command.of("sh", "-c", "if [ -d /run/systemd/system ]; then echo systemd; else echo sysv; fi");
    }

    /** Which init the host runs, probed once per play. */
    public static Init init(HostContext host) throws OpsException {
        return host.fact("init", h -> parseInit(initProbe(), h.runOk(initProbe())));
    }

    static Init parseInit(Command probe, ExecResult answer) throws TaskFailure {
        return switch (answer.stdout().strip()) {
            case "systemd" -> Init.SYSTEMD;
            case "sysv" -> Init.SYSV;
            default -> throw TaskFailure.unexpectedAnswer(probe, answer);
        };
    }

    /** Running and enabled, from {@link #probeCommand}'s two lines. */
    static boolean[] parseState(Command probe, ExecResult answer) throws TaskFailure {
        String[] lines = answer.stdout().strip().split("\n");
        if (lines.length != 2 || !lines[0].matches("yes|no") || !lines[1].matches("yes|no")) {
            throw TaskFailure.unexpectedAnswer(probe, answer);
        }
        return new boolean[] {lines[0].equals("yes"), lines[1].equals("yes")};
    }

    /** Prints two lines: running yes/no, enabled yes/no. */
    static Command probeCommand(Init init, String service) {
        if (init == Init.SYSTEMD) {
            return Command.of("sh", "-c", "systemctl is-active --quiet \"$1\" && echo yes || echo no;"
                    + " systemctl is-enabled --quiet \"$1\" && echo yes || echo no", "sh", service);
        }
        return Command.of("sh", "-c", "service \"$1\" status >/dev/null 2>&1 && echo yes || echo no;"
                + " ls /etc/rc2.d/S[0-9][0-9]\"$1\" >/dev/null 2>&1 && echo yes || echo no", "sh", service);
    }

    static Command startCommand(Init init, String service) {
        return init == Init.SYSTEMD ? Command.of("systemctl", "start", service) : Command.of("service", service, "start");
    }

    static Command enableCommand(Init init, String service) {
        return init == Init.SYSTEMD ? Command.of("systemctl", "enable", service)
                : Command.of("update-rc.d", service, "enable");
    }

    @Override
    public java.util.List<Command> probes(HostContext host) {
        return java.util.List.of(initProbe(), probeCommand(Init.SYSTEMD, service), probeCommand(Init.SYSV, service));
    }

    @Override
    public Change plan(HostContext host) throws OpsException {
        Init init = init(host);
        Command probe = probeCommand(init, service);
        boolean[] state = parseState(probe, host.runOk(probe));
        boolean running = state[0];
        boolean enabled = state[1];
        if (running && enabled) {
            return Change.none();
        }
        String what = (!enabled ? "enable" : "") + (!enabled && !running ? " and " : "") + (!running ? "start" : "");
        return Change.of(what + " " + service, h -> {
            if (!enabled) {
                h.runOk(enableCommand(init, service));
            }
            if (!running) {
                h.runOk(startCommand(init, service));
            }
        });
    }
}
