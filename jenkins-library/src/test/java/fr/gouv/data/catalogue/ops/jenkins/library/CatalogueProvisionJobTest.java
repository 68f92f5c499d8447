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
 * vars/catalogueProvisionJob.groovy under JenkinsPipelineUnit: the plugin's steps are mocks that
 * record their arguments; {@code error} and a refused {@code input} throw, as in Jenkins.
 */
class CatalogueProvisionJobTest extends BasePipelineTest {
    final List<Map<String, Object>> provisions = new ArrayList<>();
    List<String> environments = List.of("demo", "prod", "staging");
    int wouldChange = 2;
    boolean refuse;

    /** A Groovy closure over a Java function of the call's arguments. */
    static Closure<Object> fn(Function<Object[], Object> f) {
        return new Closure<Object>(null) {
            @SuppressWarnings("unused")
            public Object doCall(Object... args) {
                return f.apply(args);
            }
        };
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
        getHelper().registerAllowedMethod("catalogueEnvironments", List.of(Map.class), fn(a -> environments));
        getHelper().registerAllowedMethod("catalogueProvision", List.of(Map.class), fn(a -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> args = new LinkedHashMap<>((Map<String, Object>) a[0]);
            provisions.add(args);
            Map<String, Object> result = new HashMap<>();
            result.put("hosts", List.of("web-1"));
            result.put("changed", Boolean.TRUE.equals(args.get("check")) ? wouldChange : 3);
            return result;
        }));
        getBinding().setVariable("scm", Map.of("type", "git"));
        getBinding().setVariable("params", new HashMap<>());
    }

    static final class PipelineError extends RuntimeException {
        PipelineError(String message) {
            super(message);
        }
    }

    Object run(Map<String, Object> args) {
        Script script = loadScript("catalogueProvisionJob.groovy");
        return script.invokeMethod("call", new Object[] {args});
    }

    Map<String, Object> args() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("credentialsId", "catalogue-ssh");
        a.put("vaultCredentialsId", "catalogue-vault");
        return a;
    }

    List<String> calls() {
        return getHelper().getCallStack().stream().map(MethodCall::getMethodName).toList();
    }

    void choose(String env) {
        getBinding().setVariable("params", Map.of("ENVIRONMENT", env));
    }

    @Test
    void unknownOrMissingArgumentsFailAtOnceWithWhatToWrite() {
        Map<String, Object> a = args();
        a.put("credentialId", "typo");
        PipelineError e = assertThrows(PipelineError.class, () -> run(a));
        assertTrue(e.getMessage().startsWith("catalogueProvisionJob: unknown argument(s) credentialId; known: "), e.getMessage());
        Map<String, Object> b = args();
        b.remove("vaultCredentialsId");
        e = assertThrows(PipelineError.class, () -> run(b));
        assertTrue(e.getMessage().startsWith("catalogueProvisionJob: vaultCredentialsId is required"), e.getMessage());
        Map<String, Object> c = args();
        c.put("confirmEnvironments", "prod");
        e = assertThrows(PipelineError.class, () -> run(c));
        assertTrue(e.getMessage().contains("confirmEnvironments must be a list"), e.getMessage());
        assertTrue(provisions.isEmpty());
        assertTrue(!calls().contains("node"), "nothing ran: " + calls());
    }

    @Test
    void theFirstBuildRegistersTheChoiceAndProvisionsNothing() {
        assertNull(run(args()));
        assertTrue(provisions.isEmpty(), provisions.toString());
        MethodCall properties = getHelper().getCallStack().stream().filter(c -> c.getMethodName().equals("properties"))
                .findFirst().orElseThrow();
        assertTrue(properties.argsToString().contains("ENVIRONMENT") && properties.argsToString().contains("[demo, prod, staging]"),
                properties.argsToString());
    }

    @Test
    void stagingIsCheckedThenProvisionedWithoutConfirmation() {
        choose("staging");
        Object result = run(args());
        assertEquals(2, provisions.size(), provisions.toString());
        assertEquals(Map.of("env", "staging", "opsDir", "ops/ansible", "credentialsId", "catalogue-ssh", "vaultCredentialsId",
                "catalogue-vault", "check", true, "diff", true), provisions.get(0));
        assertEquals(Map.of("env", "staging", "opsDir", "ops/ansible", "credentialsId", "catalogue-ssh", "vaultCredentialsId",
                "catalogue-vault"), provisions.get(1));
        assertTrue(!calls().contains("input"), calls().toString());
        assertEquals(3, ((Map<?, ?>) result).get("changed"));
    }

    @Test
    void prodAsksForAConfirmationOutsideAnyNodeBeforeApplying() {
        choose("prod");
        Map<String, Object> a = args();
        a.put("tags", "nginx");
        run(a);
        List<String> calls = calls();
        int input = calls.indexOf("input");
        assertTrue(input > 0, calls.toString());
        assertEquals(2, provisions.size());
        assertEquals("nginx", provisions.get(1).get("tags"));
        List<MethodCall> stack = getHelper().getCallStack();
        int applyAt = -1;
        int provisionCalls = 0;
        for (int i = 0; i < stack.size(); i++) {
            if (stack.get(i).getMethodName().equals("catalogueProvision") && ++provisionCalls == 2) {
                applyAt = i;
            }
        }
        assertTrue(input < applyAt, "the confirmation comes before applying: " + calls);
        assertTrue(calls.indexOf("node") < input, calls.toString());
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
    void aRefusedConfirmationAppliesNothing() {
        choose("prod");
        refuse = true;
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertEquals("Aborted by the reviewer", e.getMessage());
        assertEquals(1, provisions.size(), "only the check ran");
        assertEquals(true, provisions.get(0).get("check"));
    }

    @Test
    void confirmationsFollowTheListGiven() {
        choose("staging");
        Map<String, Object> a = args();
        a.put("confirmEnvironments", List.of("staging", "prod"));
        run(a);
        assertTrue(calls().contains("input"), calls().toString());
    }

    @Test
    void nothingToChangeMeansNoConfirmationAndNoSecondRun() {
        choose("prod");
        wouldChange = 0;
        run(args());
        assertEquals(1, provisions.size());
        assertTrue(!calls().contains("input"), calls().toString());
    }

    @Test
    void anEnvironmentNotInTheListIsRefused() {
        choose("preprod");
        PipelineError e = assertThrows(PipelineError.class, () -> run(args()));
        assertEquals("catalogueProvisionJob: ENVIRONMENT 'preprod' is not one of demo, prod, staging", e.getMessage());
        assertTrue(provisions.isEmpty());
    }
}
