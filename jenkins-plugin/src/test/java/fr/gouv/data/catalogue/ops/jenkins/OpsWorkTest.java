package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step's work as remoting carries it to the node that holds the workspace: it survives Java
 * serialization and runs there, it holds nothing of the controller (no build, no step context),
 * the credentials' values are wiped when it ends, and an abort reaches it (its thread interrupted).
 */
class OpsWorkTest {
    static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAplantedKeyLine0001\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    static final String VAULT = "vault-password-for-OpsWorkTest";

    @TempDir
    Path tmp;
    TestContext ctx;

    @BeforeEach
    void context() throws Exception {
        TestContext.copyTree(Path.of("../examples/ops/ansible"), tmp.resolve("workspace/ops/ansible"));
        ctx = new TestContext(tmp.resolve("workspace")).install();
        ctx.secrets.put("vault", VAULT.getBytes(StandardCharsets.UTF_8));
        ctx.secrets.put("token", "git-token-planted-0042\n".getBytes(StandardCharsets.UTF_8));
        ctx.keys.put("ssh", new JenkinsServices.SshKey("root", List.of(KEY), "key-passphrase-1".toCharArray()));
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    /** The work of every step, as its execution builds it on the controller (credentials looked up). */
    List<OpsWork<?>> everyStepsWork() throws Exception {
        Map<String, Object> creds = Map.of("credentialsId", "ssh", "vaultCredentialsId", "vault");
        List<OpsWork<?>> all = new ArrayList<>();
        all.add(new CatalogueProvisionStep.Execution(step(CatalogueProvisionStep.class, creds, "env", "demo", "check", true), ctx)
                .work());
        all.add(new CatalogueDeployStep.Execution(step(CatalogueDeployStep.class, creds, "env", "demo", "gitVersion", "v2"), ctx)
                .work());
        all.add(new CatalogueRollbackStep.Execution(step(CatalogueRollbackStep.class, creds, "env", "demo"), ctx).work());
        all.add(new CatalogueReleasesStep.Execution(step(CatalogueReleasesStep.class, creds, "env", "demo"), ctx).work());
        all.add(new CatalogueDoctorStep.Execution(step(CatalogueDoctorStep.class, creds, "env", "demo", "failOnError", true), ctx)
                .work());
        all.add(new CatalogueInitdataStep.Execution(step(CatalogueInitdataStep.class, creds, "env", "demo", "file", "data.yml",
                "allHosts", true, "wait", 5), ctx).work());
        all.add(new CatalogueRunStep.Execution(step(CatalogueRunStep.class, creds, "env", "demo", "tool", "dedupe-tags",
                "args", List.of("--dry-run"), "returnStatus", true), ctx).work());
        all.add(new CataloguePingStep.Execution(step(CataloguePingStep.class, creds, "env", "demo"), ctx).work());
        all.add(new CatalogueEnvironmentsStep.Execution(step(CatalogueEnvironmentsStep.class, creds), ctx).work());
        all.add(new CatalogueStagingStep.Execution(step(CatalogueStagingStep.class, creds, "action", "sync",
                "gitCredentialsId", "token"), ctx).work());
        return all;
    }

    static <T extends Step> T step(Class<T> type, Map<String, Object> common, Object... pairs) throws Exception {
        Map<String, Object> args = new java.util.HashMap<>(common);
        for (int i = 0; i < pairs.length; i += 2) {
            args.put((String) pairs[i], pairs[i + 1]);
        }
        return PipelineArguments.instantiate(type, args);
    }

    @Test
    void everyStepsWorkIsAMasterToSlaveFileCallableThatSurvivesSerialization() throws Exception {
        for (OpsWork<?> work : everyStepsWork()) {
            assertInstanceOf(MasterToSlaveFileCallable.class, work);
            OpsWork<?> there = TestContext.roundTrip(work);
            assertNotSame(work, there);
            assertEquals(work.getClass(), there.getClass());
            assertEquals(fields(work), fields(there), work.getClass().getName() + " arrives with what it carried");
        }
    }

    @Test
    void theWorkOfEveryStepIsChecked() throws Exception {
        java.util.Set<Class<?>> checked = new java.util.HashSet<>();
        for (OpsWork<?> work : everyStepsWork()) {
            checked.add(work.getClass().getEnclosingClass());
        }
        assertEquals(java.util.Set.copyOf(StepArgumentsTest.STEPS), checked);
    }

    @Test
    void noStepsWorkHoldsAnythingOfTheController() throws Exception {
        for (OpsWork<?> work : everyStepsWork()) {
            walk(work, work.getClass().getSimpleName(), new IdentityHashMap<>());
        }
    }

    @Test
    void theBuildsVariablesAndTheUserWhoStartedItReachTheWork() throws Exception {
        ctx.env.put("BUILD_URL", "https://ci.example.test/job/deploy/7/");
        ctx.env.put("JOB_NAME", "deploy");
        ctx.env.put("BUILD_NUMBER", "7");
        ctx.env.put("XDG_CACHE_HOME", "/var/cache/jenkins");
        ctx.run.startedBy = "alice";
        OpsWork<?> work = TestContext.roundTrip(new CatalogueDeployStep.Execution(
                step(CatalogueDeployStep.class, Map.of(), "env", "demo"), ctx).work());
        assertEquals(Map.of("BUILD_URL", "https://ci.example.test/job/deploy/7/", "JOB_NAME", "deploy", "BUILD_NUMBER", "7",
                "XDG_CACHE_HOME", "/var/cache/jenkins", "BUILD_USER_ID", "alice"), work.buildEnvironment());
        ctx.run.startedBy = null;
        assertFalse(new CatalogueDeployStep.Execution(step(CatalogueDeployStep.class, Map.of(), "env", "demo"), ctx).work()
                .buildEnvironment().containsKey("BUILD_USER_ID"), "no user cause (a timer, an upstream build): no user");
    }

    @Test
    void aStepsWorkRunsOnTheOtherSideAndItsResultComesBack() throws Exception {
        List<String> envs = new CatalogueEnvironmentsStep.Execution(PipelineArguments.instantiate(CatalogueEnvironmentsStep.class,
                Map.of()), ctx).run();
        assertEquals(List.of("demo", "rehearsal"), envs);
        assertEquals(1, ctx.agentThreads.size(), "the work ran on the agent's thread");
        assertEquals(1, ctx.copies.size());
        assertFalse(Files.exists(ctx.copies.get(0)), "the private copy is removed");
    }

    /** A work that waits until interrupted, and tells what it saw. */
    static final class Waiting extends OpsWork<String> {
        private static final long serialVersionUID = 1L;
        static final CountDownLatch STARTED = new CountDownLatch(1);
        static final AtomicReference<Throwable> ENDED = new AtomicReference<>();
        static final AtomicReference<OpsSecrets> SECRETS = new AtomicReference<>();
        private final OpsSecrets secrets;

        Waiting(OpsStep.Launch launch) {
            super(launch, "ops/ansible", "opsDir");
            this.secrets = launch.secrets();
        }

        @Override
        protected String work(OpsRun run) throws InterruptedException {
            SECRETS.set(secrets);
            run.log().println("the key is " + KEY.lines().toList().get(1));
            STARTED.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                return "not interrupted";
            } catch (InterruptedException e) {
                ENDED.set(e);
                throw e;
            }
        }
    }

    @Test
    void anAbortInterruptsTheWorkOnTheOtherSideAndItsSecretsAreWiped() throws Exception {
        OpsStep.Launch launch = step(CataloguePingStep.class, Map.of("credentialsId", "ssh", "vaultCredentialsId", "vault"),
                "env", "demo").launch(ctx, null);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread step = new Thread(() -> {
            try {
                OpsStep.act(ctx, new Waiting(launch));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "test-step");
        step.start();
        assertTrue(Waiting.STARTED.await(60, TimeUnit.SECONDS), "the work started on the other side");
        step.interrupt();
        step.join(10_000);
        assertFalse(step.isAlive(), "the step still runs 10 s after the abort");
        assertInstanceOf(InterruptedException.class, outcome.get(), "how the step ended");
        assertTrue(ctx.agentsEnded(10_000), "the work on the other side still runs 10 s after the abort");
        assertInstanceOf(InterruptedException.class, Waiting.ENDED.get(), "the work on the other side was interrupted");
        OpsSecrets there = Waiting.SECRETS.get();
        assertNotSame(launch.secrets(), there, "the work ran on a deserialized copy");
        assertEquals(List.of(), there.values(), "the credentials' values are wiped on the other side");
        assertEquals(List.of(), launch.secrets().values(), "and on the controller");
        assertFalse(Files.exists(ctx.copies.get(0)), "the private copy is removed");
        assertTrue(ctx.log().contains("the key is " + MaskingStream.MASK), ctx.log());
        assertFalse(ctx.log().contains("plantedKeyLine"), ctx.log());
    }

    /** The values of an object's fields (through its superclasses), arrays as lists, for comparing copies. */
    static List<Object> fields(Object o) throws IllegalAccessException {
        List<Object> values = new ArrayList<>();
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                Object v = f.get(o);
                if (v instanceof OpsSecrets s) {
                    v = s.values();
                } else if (v instanceof TaskListener) {
                    v = "listener";
                }
                values.add(f.getName() + "=" + v);
            }
        }
        return values;
    }

    private static final List<Class<?>> CONTROLLER_ONLY = List.of(Run.class, Job.class, StepContext.class, StepExecution.class,
            Step.class, JenkinsServices.class, FilePath.class);

    /** Fails when anything reachable from {@code o} is of a type that lives on the controller only. */
    static void walk(Object o, String path, IdentityHashMap<Object, Boolean> seen) throws IllegalAccessException {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        for (Class<?> bad : CONTROLLER_ONLY) {
            if (bad.isInstance(o)) {
                fail(path + " holds a " + bad.getName() + " (" + o.getClass().getName() + "), which lives on the controller only");
            }
        }
        Class<?> type = o.getClass();
        if (type.isArray()) {
            if (!type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(o); i++) {
                    walk(Array.get(o, i), path + "[" + i + "]", seen);
                }
            }
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getKey(), path + ".key", seen);
                walk(e.getValue(), path + "[" + e.getKey() + "]", seen);
            }
            return;
        }
        if (type.getName().startsWith("java.")) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                f.setAccessible(true);
                walk(f.get(o), path + "." + f.getName(), seen);
            }
        }
    }
}
