package fr.gouv.data.catalogue.ops.jenkins.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import com.lesfurets.jenkins.unit.MethodCall;
import groovy.lang.Closure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jenkinsfiles of examples/jenkins run as written: the one-line deploy of prod, and the two job
 * Jenkinsfiles call the shared library's jobs with arguments those jobs accept (the library itself
 * is loaded by Jenkins from its configuration; here the @Library line is left out and the job's
 * call recorded).
 */
class ExampleJenkinsfilesTest extends BasePipelineTest {
    static final Path EXAMPLES = Path.of("../examples/jenkins");
    final List<String> called = new ArrayList<>();
    final List<Map<String, Object>> arguments = new ArrayList<>();

    @TempDir
    Path tmp;

    Closure<Object> record(String name) {
        return new Closure<Object>(null) {
            @SuppressWarnings({"unused", "unchecked"})
            public Object doCall(Object... args) {
                called.add(name);
                arguments.add(new LinkedHashMap<>((Map<String, Object>) args[0]));
                return Map.of();
            }
        };
    }

    @BeforeEach
    void setUpPipeline() throws Exception {
        setScriptRoots(tmp.toString());
        setScriptExtension("");
        super.setUp();
        for (String step : List.of("catalogueDeploy", "catalogueDeployJob", "catalogueStagingPreviewJob")) {
            getHelper().registerAllowedMethod(step, List.of(Map.class), record(step));
        }
        getBinding().setVariable("scm", Map.of("type", "git"));
    }

    void runExample(String name) throws Exception {
        String text = Files.readString(EXAMPLES.resolve(name)).replaceAll("(?m)^@Library\\('catalogue-ops'\\) _$", "");
        Path script = tmp.resolve(name.replace('.', '_') + ".groovy");
        Files.writeString(script, text);
        runScript(script.toString());
    }

    static final Map<String, Object> CREDENTIALS = Map.of("credentialsId", "catalogue-ssh", "vaultCredentialsId", "catalogue-vault");

    @Test
    void theJenkinsfileDeploysProdInOneLineOnANodeWithTheWorkspaceCheckedOut() throws Exception {
        runExample("Jenkinsfile");
        assertEquals(List.of("catalogueDeploy"), called);
        Map<String, Object> expected = new LinkedHashMap<>(CREDENTIALS);
        expected.put("env", "prod");
        assertEquals(expected, arguments.get(0));
        List<String> calls = getHelper().getCallStack().stream().map(MethodCall::getMethodName).toList();
        assertTrue(calls.indexOf("node") < calls.indexOf("checkout") && calls.indexOf("checkout") < calls.indexOf("catalogueDeploy"),
                calls.toString());
    }

    @Test
    void theJobJenkinsfilesCallTheJobsWithTheirCredentials() throws Exception {
        runExample("Jenkinsfile.deploy-job");
        runExample("Jenkinsfile.staging-preview-job");
        assertEquals(List.of("catalogueDeployJob", "catalogueStagingPreviewJob"), called);
        assertEquals(CREDENTIALS, arguments.get(0));
        Map<String, Object> preview = new LinkedHashMap<>(CREDENTIALS);
        preview.put("gitCredentialsId", "git-token");
        assertEquals(preview, arguments.get(1));
    }
}
