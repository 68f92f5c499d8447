package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;

/** Every step made from named arguments as Pipeline makes it; unknown names refused; every parameter has its help. */
class StepArgumentsTest {
    static final List<Class<? extends Step>> STEPS = List.of(CatalogueProvisionStep.class, CatalogueDeployStep.class, CataloguePingStep.class,
            CatalogueEnvironmentsStep.class, CatalogueStagingStep.class, CatalogueRollbackStep.class, CatalogueReleasesStep.class,
            CatalogueDoctorStep.class, CatalogueInitdataStep.class, CatalogueRunStep.class);

    @Test
    void provisionTakesEveryParameterByName() throws Exception {
        CatalogueProvisionStep s = PipelineArguments.instantiate(CatalogueProvisionStep.class, Map.of("env", "prod",
                "check", true, "diff", true, "limit", "web-1, web-2", "tags", "nginx", "forks", 3, "extraVars", "a=1",
                "opsDir", "deploy/ansible", "credentialsId", "ssh", "vaultCredentialsId", "vault"));
        assertEquals("prod", s.getEnv());
        assertTrue(s.isCheck() && s.isDiff());
        assertEquals(Set.of("web-1", "web-2"), CatalogueProvisionStep.split(s.getLimit()));
        assertEquals("nginx", s.getTags());
        assertEquals(3, s.getForks());
        assertEquals("a=1", s.getExtraVars());
        assertEquals("deploy/ansible", s.getOpsDir());
        assertEquals("ssh", s.getCredentialsId());
        assertEquals("vault", s.getVaultCredentialsId());
    }

    @Test
    void deployTakesEveryParameterByName() throws Exception {
        CatalogueDeployStep d = PipelineArguments.instantiate(CatalogueDeployStep.class, Map.of("env", "prod", "gitVersion", "v2",
                "check", true, "limit", "web-1", "serial", 1, "wait", 600, "extraVars", "a=1", "credentialsId", "ssh"));
        assertEquals("prod", d.getEnv());
        assertEquals("v2", d.getGitVersion());
        assertTrue(d.isCheck());
        assertEquals("web-1", d.getLimit());
        assertEquals(1, d.getSerial());
        assertEquals(600, d.getWait());
        assertEquals("a=1", d.getExtraVars());
        assertEquals("ssh", d.getCredentialsId());
        CatalogueDeployStep defaults = PipelineArguments.instantiate(CatalogueDeployStep.class, Map.of("env", "staging"));
        assertEquals(null, defaults.getGitVersion(), "the environment's git_version");
        assertEquals(0, defaults.getSerial());
        assertEquals(0, defaults.getWait());
    }

    @Test
    void rollbackAndReleasesTakeTheirParametersByName() throws Exception {
        CatalogueRollbackStep r = PipelineArguments.instantiate(CatalogueRollbackStep.class, Map.of("env", "prod",
                "to", "20250101120000-1a2b3c4", "limit", "web-1", "wait", 60, "credentialsId", "ssh", "vaultCredentialsId", "vault"));
        assertEquals("prod", r.getEnv());
        assertEquals("20250101120000-1a2b3c4", r.getTo());
        assertEquals("web-1", r.getLimit());
        assertEquals(60, r.getWait());
        assertEquals(null, PipelineArguments.instantiate(CatalogueRollbackStep.class, Map.of("env", "prod")).getTo(),
                "the newest previous release");
        assertEquals("prod", PipelineArguments.instantiate(CatalogueReleasesStep.class, Map.of("env", "prod", "opsDir", "o"))
                .getEnv());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(
                CatalogueRollbackStep.class, Map.of("env", "prod", "release", "x")));
        assertTrue(e.getMessage().startsWith("unknown parameter(s) [release] for CatalogueRollbackStep"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueReleasesStep.class,
                Map.of("env", "prod", "check", true)));
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueDeployStep.class,
                Map.of("env", "prod", "waitSeconds", 600)));
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueReleasesStep.class, Map.of()));
    }

    @Test
    void defaultsAreThoseOfTheCommandLine() throws Exception {
        CatalogueProvisionStep s = PipelineArguments.instantiate(CatalogueProvisionStep.class, Map.of("env", "staging"));
        assertFalse(s.isCheck());
        assertEquals(10, s.getForks());
        assertEquals("ops/ansible", s.getOpsDir());
        assertEquals(Set.of(), CatalogueProvisionStep.split(s.getLimit()));
        CatalogueStagingStep st = PipelineArguments.instantiate(CatalogueStagingStep.class, Map.of("action", "sync"));
        assertEquals("master", st.getFrom());
        assertEquals("origin", st.getRemote());
        assertEquals(".", st.getRepo());
        assertTrue(st.isPush());
        assertNotNull(PipelineArguments.instantiate(CatalogueEnvironmentsStep.class, Map.of()));
        assertEquals(10, PipelineArguments.instantiate(CataloguePingStep.class, Map.of("env", "x")).getTimeout());
    }

    @Test
    void unknownAndMissingArgumentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(
                CatalogueProvisionStep.class, Map.of("env", "prod", "chek", true)));
        assertTrue(e.getMessage().startsWith("unknown parameter(s) [chek] for CatalogueProvisionStep; known: ["), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CataloguePingStep.class, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueEnvironmentsStep.class,
                Map.of("env", "prod")));
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueProvisionStep.class,
                Map.of("env", "prod", "forks", "many")));
    }

    @Test
    void doctorInitdataAndRunTakeTheirParametersByName() throws Exception {
        CatalogueDoctorStep d = PipelineArguments.instantiate(CatalogueDoctorStep.class, Map.of("env", "prod", "failOnError", true,
                "credentialsId", "ssh", "vaultCredentialsId", "vault"));
        assertEquals("prod", d.getEnv());
        assertTrue(d.isFailOnError());
        assertEquals("ssh", d.getCredentialsId());
        assertFalse(PipelineArguments.instantiate(CatalogueDoctorStep.class, Map.of("env", "prod")).isFailOnError(),
                "a FAIL is reported, not thrown, by default");

        CatalogueInitdataStep i = PipelineArguments.instantiate(CatalogueInitdataStep.class, Map.of("env", "staging",
                "file", " data/initdata.yml ", "allHosts", true, "wait", 120, "opsDir", "deploy/ansible"));
        assertEquals("staging", i.getEnv());
        assertEquals("data/initdata.yml", i.getFile());
        assertTrue(i.isAllHosts());
        assertEquals(120, i.getWait());
        assertEquals("deploy/ansible", i.getOpsDir());
        CatalogueInitdataStep id = PipelineArguments.instantiate(CatalogueInitdataStep.class, Map.of("env", "staging", "file", " "));
        assertEquals(null, id.getFile(), "initdata_src");
        assertFalse(id.isAllHosts());
        assertEquals(0, id.getWait());

        CatalogueRunStep r = PipelineArguments.instantiate(CatalogueRunStep.class, Map.of("env", "prod", "tool", "dedupe-tags",
                "args", List.of("--dry-run", "--label", "two words"), "returnStatus", true, "wait", 30));
        assertEquals("prod", r.getEnv());
        assertEquals("dedupe-tags", r.getTool());
        assertEquals(List.of("--dry-run", "--label", "two words"), r.getArgs(), "one argument per element, never split");
        assertTrue(r.isReturnStatus());
        assertEquals(30, r.getWait());
        CatalogueRunStep rd = PipelineArguments.instantiate(CatalogueRunStep.class, Map.of("env", "prod", "tool", "dedupe-tags"));
        assertEquals(List.of(), rd.getArgs());
        assertFalse(rd.isReturnStatus(), "a non-zero exit fails the step by default, as sh's");
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueRunStep.class,
                Map.of("env", "prod", "tool", "dedupe-tags", "args", "--dry-run")), "args is a list, not a string");
        java.util.List<String> withNull = new java.util.ArrayList<>(List.of("--dry-run"));
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> rd.setArgs(withNull));
    }

    @Test
    void doctorInitdataAndRunRefuseUnknownAndMissingArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(
                CatalogueDoctorStep.class, Map.of("env", "prod", "json", true)));
        assertTrue(e.getMessage().startsWith("unknown parameter(s) [json] for CatalogueDoctorStep"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueInitdataStep.class,
                Map.of("env", "prod", "allhosts", true)));
        assertTrue(e.getMessage().startsWith("unknown parameter(s) [allhosts] for CatalogueInitdataStep"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueRunStep.class,
                Map.of("env", "prod", "tool", "dedupe-tags", "arguments", List.of())));
        assertTrue(e.getMessage().startsWith("unknown parameter(s) [arguments] for CatalogueRunStep"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueRunStep.class,
                Map.of("env", "prod")), "tool is required");
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueDoctorStep.class, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueInitdataStep.class,
                Map.of("file", "x.yml")));
        assertThrows(IllegalArgumentException.class, () -> PipelineArguments.instantiate(CatalogueRunStep.class,
                Map.of("env", "prod", "tool", "t", "returnStatus", "yes")));
    }

    @Test
    void everyParameterHasItsHelpAndEveryStepItsDescriptor() throws Exception {
        Path resources = Path.of("src/main/resources/fr/gouv/data/catalogue/ops/jenkins");
        for (Class<? extends Step> step : STEPS) {
            assertTrue(Files.isRegularFile(resources.resolve(step.getSimpleName()).resolve("help.html")), step + " help.html");
            for (var p : step.getConstructors()[0].getParameters()) {
                assertTrue(Files.isRegularFile(resources.resolve(step.getSimpleName()).resolve("help-" + p.getName() + ".html")),
                        step.getSimpleName() + " help-" + p.getName());
            }
            for (var e : PipelineArguments.setters(step).entrySet()) {
                String owner = e.getValue().getDeclaringClass().getSimpleName();
                assertTrue(Files.isRegularFile(resources.resolve(owner).resolve("help-" + e.getKey() + ".html")),
                        owner + " help-" + e.getKey());
            }
            Class<?> descriptor = Class.forName(step.getName() + "$DescriptorImpl");
            assertTrue(StepDescriptor.class.isAssignableFrom(descriptor));
            StepDescriptor d = (StepDescriptor) descriptor.getConstructor().newInstance();
            assertTrue(d.getFunctionName().matches("catalogue[A-Z][A-Za-z]+"), d.getFunctionName());
            assertTrue(d.getRequiredContext().contains(hudson.model.TaskListener.class));
        }
    }
}
