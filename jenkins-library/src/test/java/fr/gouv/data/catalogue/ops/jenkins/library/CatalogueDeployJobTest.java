package fr.gouv.data.catalogue.ops.jenkins.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import com.lesfurets.jenkins.unit.MethodCall;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * vars/catalogueDeployJob.groovy under JenkinsPipelineUnit: catalogueDeploy, catalogueReleases and
 * catalogueRollback are mocks that record their arguments; {@code error}, a refused {@code input}
 * and a failing deploy throw, as in Jenkins.
 */
class CatalogueDeployJobTest extends BasePipelineTest {
    static final String COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
    final List<Map<String, Object>> deploys = new ArrayList<>();
    final List<Map<String, Object>> rollbacks = new ArrayList<>();
    final List<Map<String, Object>> releaseLookups = new ArrayList<>();
    final Map<String, Object> currentBuild = new HashMap<>();
    boolean refuse;
    boolean deployFails;

    static Closure<Object> fn(Function<Object[], Object> f) {
        return new Closure<Object>(null) {
            @SuppressWarnings("unused")
            public Object doCall(Object... args) {
                return f.apply(args);
            }
        };
    }

    static final class PipelineError extends RuntimeException {
        PipelineError(String message) {
            super(message);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> arg(Object[] a) {
        return new LinkedHashMap<>((Map<String, Object>) a[0]);
    }

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots("../vars");
        setScriptExtension("groovy");
        super.setUp();
        getHelper().registerAllowedMethod("error", List.of(String.class), fn(a -> {
            throw new PipelineError(String.valueOf(a[0]));
        }));
        getHelper().registerAllowedMethod("input", List.of(Map.class), fn(a -> {
            if (refuse) {
                throw new PipelineError("Aborted by the reviewer");
            }
            return null;
        }));
        getHelper().registerAllowedMethod("parameters", List.of(List.class), fn(a -> Map.of("parameters", a[0])));
        getHelper().registerAllowedMethod("choice", List.of(Map.class), fn(a -> a[0]));
        getHelper().registerAllowedMethod("string", List.of(Map.class), fn(a -> a[0]));
        getHelper().registerAllowedMethod("catalogueEnvironments", List.of(Map.class), fn(a -> List.of("demo", "prod", "staging")));
        getHelper().registerAllowedMethod("catalogueDeploy", List.of(Map.class), fn(a -> {
            Map<String, Object> args = arg(a);
            deploys.add(args);
            if (deployFails && !Boolean.TRUE.equals(args.get("check"))) {
                throw new PipelineError("catalogueDeploy prod failed: web-1: health check: 502 from /healthz");
            }
            Map<String, Object> report = new HashMap<>();
            report.put("commit", COMMIT);
            report.put("ref", args.getOrDefault("gitVersion", "v1"));
            report.put("hosts", List.of(Map.of("host", "web-1"), Map.of("host", "web-2")));
            report.put("succeeded", true);
            return report;
        }));
        getHelper().registerAllowedMethod("catalogueReleases", List.of(Map.class), fn(a -> {
            releaseLookups.add(arg(a));
            return List.of(Map.of("id", "20261201-101500-1a2b3c4", "commit", COMMIT, "ref", "v2", "state", "ok", "live", true),
                    Map.of("id", "20261130-090000-9f8e7d6", "commit", "9f8e7d6c5b4a", "ref", "v1", "state", "ok", "live", false));
        }));
        getHelper().registerAllowedMethod("catalogueRollback", List.of(Map.class), fn(a -> {
            rollbacks.add(arg(a));
            return Map.of("commit", "9f8e7d6c5b4a", "ref", "v1", "succeeded", true);
        }));
        getBinding().setVariable("scm", Map.of("type", "git"));
        getBinding().setVariable("params", new HashMap<>());
        getBinding().setVariable("currentBuild", currentBuild);
    }

    Object run(Map<String, Object> args) {
        Script script = loadScript("catalogueDeployJob.groovy");
        return script.invokeMethod("call", new Object[] {args});
    }

    Map<String, Object> args() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("credentialsId", "catalogue-ssh");
        a.put("vaultCredentialsId", "catalogue-vault");
        return a;
    }

    void choose(String env, String version, String action) {
        Map<String, Object> p = new HashMap<>();
        p.put("ENV", env);
        p.put("GIT_VERSION", version);
        p.put("ACTION", action);
        getBinding().setVariable("params", p);
    }

    List<String> calls() {
        return getHelper().getCallStack().stream().map(MethodCall::getMethodName).toList();
    }

    List<String> echoes() {
        return getHelper().getCallStack().stream().filter(c -> c.getMethodName().equals("echo")).map(MethodCall::argsToString).toList();
    }

    static final Map<String, Object> CREDENTIALS = Map.of("opsDir", "ops/ansible", "credentialsId", "catalogue-ssh",
            "vaultCredentialsId", "catalogue-vault");

    static Map<String, Object> with(Map<String, Object> base, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    @Test
    void unknownOrMissingArgumentsFailAtOnceWithWhatToWrite() {
        Map<String, Object> a = args();
        a.put("gitVersion", "v2");
        PipelineError e = assertThrows(PipelineError.class, () -> run(a));
        assertTrue(e.getMessage().startsWith("catalogueDeployJob: unknown argument(s) gitVersion; known: "), e.getMessage());
        Map<String, Object> b = args();
        b.remove("credentialsId");
        e = assertThrows(PipelineError.class, () -> run(b));
        assertTrue(e.getMessage().startsWith("catalogueDeployJob: credentialsId is required"), e.getMessage());
        assertTrue(deploys.isEmpty() && !calls().contains("node"), calls().toString());
    }

    @Test
    void theFirstBuildRegistersTheThreeParametersAndDeploysNothing() {
        assertNull(run(args()));
        assertTrue(deploys.isEmpty(), deploys.toString());
        String properties = getHelper().getCallStack().stream().filter(c -> c.getMethodName().equals("properties")).findFirst()
                .orElseThrow().argsToString();
        assertTrue(properties.contains("name=ENV") && properties.contains("choices=[demo, prod, staging]"), properties);
        assertTrue(properties.contains("name=GIT_VERSION") && properties.contains("defaultValue="), properties);
        assertTrue(properties.contains("name=ACTION") && properties.contains("choices=[deploy, rollback]"), properties);
    }

    @Test
    void stagingIsCheckedThenDeployedWithoutConfirmationAndTheDescriptionSaysWhatWentLive() {
        choose("staging", "v2", "deploy");
        Object result = run(args());
        assertEquals(2, deploys.size(), deploys.toString());
        assertEquals(with(CREDENTIALS, "env", "staging", "check", true, "gitVersion", "v2"), deploys.get(0), "the plan first");
        assertEquals(with(CREDENTIALS, "env", "staging", "gitVersion", "v2"), deploys.get(1));
        assertTrue(!calls().contains("input"), calls().toString());
        assertTrue(echoes().contains("catalogueDeployJob: staging would get v2 (1a2b3c4) on web-1, web-2"), echoes().toString());
        assertEquals("staging ← v2 (1a2b3c4)", String.valueOf(currentBuild.get("description")));
        assertEquals(COMMIT, ((Map<?, ?>) result).get("commit"));
    }

    @Test
    void anEmptyGitVersionDeploysTheEnvironmentsOwn() {
        choose("staging", "  ", "deploy");
        run(args());
        assertEquals(with(CREDENTIALS, "env", "staging", "check", true), deploys.get(0));
        assertEquals(with(CREDENTIALS, "env", "staging"), deploys.get(1));
    }

    @Test
    void prodAsksForAConfirmationOutsideAnyNodeBetweenThePlanAndTheDeploy() {
        choose("prod", "v2", "deploy");
        run(args());
        List<String> calls = calls();
        List<MethodCall> stack = getHelper().getCallStack();
        int input = calls.indexOf("input");
        assertTrue(input > 0, calls.toString());
        assertTrue(stack.get(input).argsToString().contains("Deploy v2 (1a2b3c4) to prod?"), stack.get(input).argsToString());
        int plan = calls.indexOf("catalogueDeploy");
        int deploy = calls.lastIndexOf("catalogueDeploy");
        assertTrue(plan < input && input < deploy, calls.toString());
        for (int i = 0; i < input; i++) {
            if (calls.get(i).equals("node")) {
                boolean open = true;
                for (int j = i + 1; j <= input; j++) {
                    open &= stack.get(j).getStackDepth() > stack.get(i).getStackDepth();
                }
                assertTrue(!open, "input waits outside any node (no executor held): " + calls);
            }
        }
    }

    @Test
    void aRefusedConfirmationDeploysNothing() {
        choose("prod", "v2", "deploy");
        refuse = true;
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertEquals("Aborted by the reviewer", e.getMessage());
        assertEquals(1, deploys.size(), "only the plan ran");
        assertEquals(true, deploys.get(0).get("check"));
    }

    @Test
    void aFailedDeployPrintsTheReleasesAndHowToRollBackThenFails() {
        choose("prod", "v3", "deploy");
        deployFails = true;
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertEquals("catalogueDeploy prod failed: web-1: health check: 502 from /healthz", e.getMessage(), "the step's own message");
        assertEquals(List.of(with(CREDENTIALS, "env", "prod")), releaseLookups);
        List<String> echoes = echoes();
        assertTrue(echoes.contains("  * 20261201-101500-1a2b3c4  v2 (1a2b3c4)  ok  live"), echoes.toString());
        assertTrue(echoes.contains("    20261130-090000-9f8e7d6  v1 (9f8e7d6)  ok"), echoes.toString());
        assertTrue(echoes.stream().anyMatch(l -> l.startsWith("catalogueDeployJob: to roll back, run this job with ENV=prod ACTION=rollback")
                && l.endsWith("catalogue-ops rollback prod")), echoes.toString());
        assertEquals("prod: deploy failed", String.valueOf(currentBuild.get("description")));
        assertTrue(rollbacks.isEmpty(), "nothing rolled back by itself");
    }

    @Test
    void aRollbackListsTheReleasesIsConfirmedForProdAndRollsBackToTheOneGiven() {
        choose("prod", "20261130-090000-9f8e7d6", "rollback");
        run(args());
        assertTrue(deploys.isEmpty(), deploys.toString());
        assertEquals(1, releaseLookups.size());
        List<String> calls = calls();
        assertTrue(calls.indexOf("catalogueReleases") < calls.indexOf("input") && calls.indexOf("input") < calls.indexOf("catalogueRollback"),
                calls.toString());
        assertEquals(List.of(with(CREDENTIALS, "env", "prod", "to", "20261130-090000-9f8e7d6")), rollbacks);
        assertEquals("prod ← v1 (9f8e7d6), rolled back", String.valueOf(currentBuild.get("description")));
    }

    @Test
    void theStepsGetOnlyTheArgumentsTheyTakeLimitSerialAndWaitForADeployNoSerialForARollback() {
        Map<String, Object> a = args();
        a.put("limit", "web-1");
        a.put("serial", 1);
        a.put("wait", 60);
        choose("staging", "v2", "deploy");
        run(a);
        assertEquals(with(CREDENTIALS, "env", "staging", "limit", "web-1", "serial", 1, "wait", 60, "gitVersion", "v2"),
                deploys.get(1));
        choose("staging", "", "rollback");
        run(a);
        // catalogueRollback takes env, to, limit, wait and the credentials: no serial
        assertEquals(List.of(with(CREDENTIALS, "env", "staging", "limit", "web-1", "wait", 60)), rollbacks);
    }

    @Test
    void aRollbackWithoutAReleaseGoesToThePreviousOne() {
        choose("staging", "", "rollback");
        run(args());
        assertEquals(List.of(with(CREDENTIALS, "env", "staging")), rollbacks);
        assertTrue(!calls().contains("input"), calls().toString());
    }

    @Test
    void anEnvironmentNotInTheListIsRefused() {
        choose("preprod", "v2", "deploy");
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertEquals("catalogueDeployJob: ENV 'preprod' is not one of demo, prod, staging", e.getMessage());
        assertTrue(deploys.isEmpty());
    }
}
