package fr.gouv.data.catalogue.ops.internal.task;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.PlayRecap;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every probe parser reads what its probe prints and refuses anything else with one clear
 * per-host error, never an exception from indexing or number parsing.
 */
class ProbeAnswersTest {
    static ExecResult answer(String stdout) {
        return new ExecResult("web-1", 0, stdout, "", Duration.ZERO);
    }

    static String refusal(Executable parse) {
        return assertThrows(TaskFailure.class, parse).getMessage();
    }

    @Test
    void fileStateRefusesWhatStatAndSha256sumDoNotPrint() {
        Command probe = FileContent.probeCommand("/etc/x");
        String expected = "unexpected answer from `" + probe + "` on web-1: ";
        assertEquals(expected + "644 root:root", refusal(() -> FileContent.State.parse(probe, answer("644 root:root\n"))));
        assertEquals(expected + "644\nabc".replace("\n", " "), refusal(() -> FileContent.State.parse(probe, answer("644\nabc\n"))));
        assertEquals(expected + "(nothing)", refusal(() -> FileContent.State.parse(probe, answer(""))));
        assertEquals(expected + "rw-r--r-- root:root x /etc/x", refusal(() -> FileContent.State.parse(probe,
                answer("rw-r--r-- root:root\nx /etc/x\n"))));
    }

    @Test
    void serviceInitAndState() throws Exception {
        Command init = Service.initProbe();
        assertEquals(Service.Init.SYSTEMD, Service.parseInit(init, answer("systemd\n")));
        assertEquals(Service.Init.SYSV, Service.parseInit(init, answer("sysv\n")));
        assertEquals("unexpected answer from `" + init + "` on web-1: upstart",
                refusal(() -> Service.parseInit(init, answer("upstart\n"))));
        Command state = Service.probeCommand(Service.Init.SYSV, "nginx");
        assertArrayEquals(new boolean[] {true, false}, Service.parseState(state, answer("yes\nno\n")));
        assertEquals("unexpected answer from `" + state + "` on web-1: yes", refusal(() -> Service.parseState(state, answer("yes\n"))));
        assertEquals("unexpected answer from `" + state + "` on web-1: active enabled",
                refusal(() -> Service.parseState(state, answer("active\nenabled\n"))));
    }

    @Test
    void aptListsTimes() throws Exception {
        Command probe = AptCache.probeCommand();
        assertArrayEquals(new long[] {1700000100, 1700000000}, AptCache.parseTimes(probe, answer("1700000100\n1700000000\n")));
        assertArrayEquals(new long[] {1700000100, 0}, AptCache.parseTimes(probe, answer("1700000100\n0\n")), "no lists yet");
        assertEquals("unexpected answer from `" + probe + "` on web-1: 1700000100",
                refusal(() -> AptCache.parseTimes(probe, answer("1700000100\n"))));
        assertEquals("unexpected answer from `" + probe + "` on web-1: date: invalid option",
                refusal(() -> AptCache.parseTimes(probe, new ExecResult("web-1", 0, "", "date: invalid option\n", Duration.ZERO))));
    }

    @Test
    void aLongAnswerIsQuotedShort() {
        Command probe = AptCache.probeCommand();
        String message = refusal(() -> AptCache.parseTimes(probe, answer("x".repeat(1000))));
        assertEquals("unexpected answer from `" + probe + "` on web-1: " + "x".repeat(TaskFailure.QUOTED_ANSWER) + "...", message);
    }

    /** A host that answers every command, batch included, with the same nonsense. */
    static Remote babbling(String name) {
        return new Remote() {
            public String host() {
                return name;
            }

            public ExecResult exec(Command command, OutputListener listener) {
                return new ExecResult(name, 0, "Segmentation\n", "", Duration.ZERO);
            }

            public void upload(byte[] content, String path, String mode, String owner, String becomeUser) {
                throw new AssertionError("nothing is written on a host whose answers cannot be read");
            }

            public byte[] download(String path) {
                throw new AssertionError("no download expected");
            }

            public void close() {
            }
        };
    }

    @Test
    void throughTheRunnerEachTaskFailsWithTheSameClearErrorNeverAnInternalOne() throws Exception {
        List<Task> tasks = List.of(FileContent.of("f", "/etc/x", "x", "0644", "root:root"), Service.of("nginx"),
                new AptCache(Duration.ofHours(1), Set.of()), Directory.of("/srv", "0755", "root:root"));
        for (Task task : tasks) {
            PlayRecap recap = PlayRunner.run(Play.named("p").task(task).build(),
                    List.of(new PlayRunner.Target("web-1", () -> babbling("web-1"), null)), PlayRunner.Options.defaults(),
                    RunListener.NONE);
            TaskResult r = recap.results().get(0);
            assertEquals(List.of(TaskStatus.FAILED, true), List.of(r.status(), r.message().matches(
                    "unexpected answer from `[^`]+` on web-1: Segmentation")), task.name() + ": " + r.message());
        }
    }
}
