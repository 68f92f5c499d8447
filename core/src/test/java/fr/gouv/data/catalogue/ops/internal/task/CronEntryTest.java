package fr.gouv.data.catalogue.ops.internal.task;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.remote.ExecResult;
import fr.gouv.data.catalogue.ops.internal.remote.OutputListener;
import fr.gouv.data.catalogue.ops.internal.remote.Remote;
import fr.gouv.data.catalogue.ops.report.RunListener;
import fr.gouv.data.catalogue.ops.report.TaskResult;
import fr.gouv.data.catalogue.ops.report.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * crontab's answers as Debian 12's cron and sudo print them (taken from the tools themselves), and
 * a host without cron planned the same in check mode and in a real run.
 */
class CronEntryTest {
    static ExecResult r(int exit, String stdout, String stderr) {
        return new ExecResult("web-1", exit, stdout, stderr, Duration.ZERO);
    }

    @Test
    void listingsAsCrontabAndSudoWordThem() throws Exception {
        assertEquals(new CronEntry.Listing("MAILTO=ops\n", false), CronEntry.Listing.read("root", r(0, "MAILTO=ops\n", "")));
        assertEquals(new CronEntry.Listing("", false), CronEntry.Listing.read("nobody", r(1, "", "no crontab for nobody\n")),
                "crontab -l -u nobody, for a user without one");
        assertEquals(new CronEntry.Listing("", true), CronEntry.Listing.read("root", r(127, "", "sh: 1: crontab: not found\n")),
                "no crontab command, through the login shell");
        assertEquals(new CronEntry.Listing("", true), CronEntry.Listing.read("root",
                r(1, "", "sudo: crontab: command not found\n")), "no crontab command, through sudo (which exits 1)");
        TaskFailure unknown = assertThrows(TaskFailure.class, () -> CronEntry.Listing.read("deploy",
                r(1, "", "crontab:  user `deploy' unknown\n")));
        assertEquals("cannot read the crontab of deploy: crontab:  user `deploy' unknown", unknown.getMessage());
        assertThrows(TaskFailure.class, () -> CronEntry.Listing.read("root", r(1, "", "no crontab for nobody\n")),
                "another user's answer is not this one's");
    }

    /** A host without cron: every crontab command is not found; the commands sent are recorded. */
    static Remote withoutCron(List<String> sent) {
        return new Remote() {
            public String host() {
                return "web-1";
            }

            public ExecResult exec(Command command, OutputListener listener) {
                sent.add(command.toString());
                return r(127, "", "sh: 1: crontab: not found\n");
            }

            public void upload(byte[] content, String path, String mode, String owner, String becomeUser) {
                throw new AssertionError("no upload expected");
            }

            public byte[] download(String path) {
                throw new AssertionError("no download expected");
            }

            public void close() {
            }
        };
    }

    static TaskResult run(boolean check, List<String> sent) throws Exception {
        Play play = Play.named("p").task(new CronEntry("certs_renewal", "@weekly", "certbot renew -q", "root", Set.of())).build();
        return PlayRunner.run(play, List.of(new PlayRunner.Target("web-1", () -> withoutCron(sent), null)),
                PlayRunner.Options.defaults().withCheck(check), RunListener.NONE).results().get(0);
    }

    @Test
    void withoutCronCheckModeSaysWhatWouldChangeAndARealRunFailsSayingWhy() throws Exception {
        List<String> checked = Collections.synchronizedList(new ArrayList<>());
        TaskResult check = run(true, checked);
        assertEquals(List.of(TaskStatus.CHANGED, "would: cron entry certs_renewal: @weekly certbot renew -q (cron is not installed yet)"),
                List.of(check.status(), check.message()));
        assertEquals(List.of("crontab -l -u root"), checked, "check mode only listed the crontab");

        List<String> applied = Collections.synchronizedList(new ArrayList<>());
        TaskResult real = run(false, applied);
        assertEquals(List.of(TaskStatus.FAILED, "cannot set the crontab of root: cron is not installed (install the cron package)"),
                List.of(real.status(), real.message()));
        assertEquals(List.of("crontab -l -u root", "crontab -u root -"), applied, "the same plan, applied");
    }
}
