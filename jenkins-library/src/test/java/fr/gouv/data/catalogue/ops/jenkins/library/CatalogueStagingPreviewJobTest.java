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
 * vars/catalogueStagingPreviewJob.groovy under JenkinsPipelineUnit: catalogueStaging and
 * catalogueDeploy are mocks that record their arguments; the staging step refuses a merge the way
 * the real one does (it throws with its explanation).
 */
class CatalogueStagingPreviewJobTest extends BasePipelineTest {
    static final String MERGED = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f";
    // the step's messages, as core words them (StagingMerge)
    static final String CONFLICT = "catalogueStaging merge: origin/feature/x conflicts with staging in 1 file(s): server/app.py;"
            + " nothing was changed. Merge staging into your branch and resolve them there, or recreate staging (catalogue-ops"
            + " staging sync)";
    final List<Map<String, Object>> stagings = new ArrayList<>();
    final List<Map<String, Object>> deploys = new ArrayList<>();
    final Map<String, Object> currentBuild = new HashMap<>();
    String refusal;

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
        getHelper().registerAllowedMethod("parameters", List.of(List.class), fn(a -> Map.of("parameters", a[0])));
        getHelper().registerAllowedMethod("string", List.of(Map.class), fn(a -> a[0]));
        getHelper().registerAllowedMethod("booleanParam", List.of(Map.class), fn(a -> a[0]));
        getHelper().registerAllowedMethod("catalogueStaging", List.of(Map.class), fn(a -> {
            Map<String, Object> args = arg(a);
            stagings.add(args);
            if (refusal != null && "merge".equals(args.get("action"))) {
                throw new PipelineError(refusal);
            }
            Map<String, Object> r = new HashMap<>();
            r.put("action", args.get("action"));
            r.put("pushed", true);
            if ("merge".equals(args.get("action"))) {
                r.put("kind", "merge");
                r.put("after", MERGED);
            } else {
                r.put("lost_branches", List.of("feature/old"));
            }
            return r;
        }));
        getHelper().registerAllowedMethod("catalogueDeploy", List.of(Map.class), fn(a -> {
            deploys.add(arg(a));
            return Map.of("commit", MERGED, "ref", MERGED, "succeeded", true);
        }));
        getBinding().setVariable("scm", Map.of("type", "git"));
        getBinding().setVariable("params", new HashMap<>());
        getBinding().setVariable("currentBuild", currentBuild);
    }

    Object run(Map<String, Object> args) {
        Script script = loadScript("catalogueStagingPreviewJob.groovy");
        return script.invokeMethod("call", new Object[] {args});
    }

    Map<String, Object> args() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("credentialsId", "catalogue-ssh");
        a.put("vaultCredentialsId", "catalogue-vault");
        a.put("gitCredentialsId", "git-token");
        return a;
    }

    void choose(String branch, boolean sync) {
        getBinding().setVariable("params", Map.of("BRANCH", branch, "SYNC", sync));
    }

    List<String> calls() {
        return getHelper().getCallStack().stream().map(MethodCall::getMethodName).toList();
    }

    @Test
    void unknownOrMissingArgumentsFailAtOnce() {
        Map<String, Object> a = args();
        a.put("branch", "feature/x");
        PipelineError e = assertThrows(PipelineError.class, () -> run(a));
        assertTrue(e.getMessage().startsWith("catalogueStagingPreviewJob: unknown argument(s) branch; known: "), e.getMessage());
        Map<String, Object> b = args();
        b.remove("vaultCredentialsId");
        e = assertThrows(PipelineError.class, () -> run(b));
        assertTrue(e.getMessage().startsWith("catalogueStagingPreviewJob: vaultCredentialsId is required"), e.getMessage());
        assertTrue(stagings.isEmpty() && deploys.isEmpty());
    }

    @Test
    void withoutABranchItRegistersTheParametersAndDoesNothing() {
        assertNull(run(args()));
        String properties = getHelper().getCallStack().stream().filter(c -> c.getMethodName().equals("properties")).findFirst()
                .orElseThrow().argsToString();
        assertTrue(properties.contains("name=BRANCH") && properties.contains("name=SYNC"), properties);
        assertTrue(stagings.isEmpty() && deploys.isEmpty());
    }

    @Test
    void theBranchIsMergedIntoStagingPushedAndTheMergedCommitDeployedToStaging() {
        choose("feature/x", false);
        run(args());
        assertEquals(List.of(Map.of("action", "merge", "branch", "feature/x", "repo", ".", "push", true, "gitCredentialsId", "git-token")),
                stagings);
        assertEquals(List.of(Map.of("env", "staging", "gitVersion", MERGED, "opsDir", "ops/ansible", "credentialsId", "catalogue-ssh",
                "vaultCredentialsId", "catalogue-vault")), deploys);
        assertTrue(calls().indexOf("catalogueStaging") < calls().indexOf("catalogueDeploy"), calls().toString());
        assertEquals("staging ← feature/x (5e6f7a8)", String.valueOf(currentBuild.get("description")));
    }

    @Test
    void syncRecreatesStagingFromMasterFirst() {
        choose("feature/x", true);
        run(args());
        assertEquals(2, stagings.size(), stagings.toString());
        assertEquals(Map.of("action", "sync", "from", "master", "repo", ".", "push", true, "gitCredentialsId", "git-token"),
                stagings.get(0));
        assertEquals("merge", stagings.get(1).get("action"));
        assertEquals(1, deploys.size());
    }

    @Test
    void aConflictStopsTheJobWithTheStagingStepsExplanationAndDeploysNothing() {
        choose("feature/x", false);
        refusal = CONFLICT;
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertEquals("catalogueStagingPreviewJob: could not merge feature/x into staging, nothing was deployed. " + CONFLICT,
                e.getMessage());
        assertTrue(deploys.isEmpty(), deploys.toString());
        assertEquals("could not merge feature/x into staging", String.valueOf(currentBuild.get("description")));
    }

    @Test
    void rewrittenCommitsStopTheJobToo() {
        choose("feature/x", false);
        refusal = "catalogueStaging merge: 1 commit(s) of origin/feature/x already in staging were rewritten since (rebase or"
                + " amend), e.g. 1a2b3c4 \"Add f\" is now 9f8e7d6 \"Add f\"; staging must not get both versions. Either recreate"
                + " staging (catalogue-ops staging sync --push) and merge again, or go back to the merged commits";
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertTrue(e.getMessage().endsWith(refusal), e.getMessage());
        assertTrue(deploys.isEmpty());
    }
}
