package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Extension;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.junit.jupiter.api.Test;

/**
 * The built .hpi as Jenkins reads it (runs in the verify phase, after it is made): the manifest,
 * the plugin's jar with the extension index listing every step's descriptor, index.jelly and the
 * help, the runtime libraries, and nothing of Jenkins' (no stub class anywhere).
 */
class HpiPackageTest {
    static final Path HPI = Path.of("target/catalogue-ops.hpi");

    /**
     * The classes are Java 17 bytecode: the plugin requires the first LTS that requires Java 17
     * (Minimum-Java-Version is read by 2.346.x only, and 2.348 to 2.462 still run on Java 11), and
     * plugin versions whose own Jenkins requirement is at or below it.
     */
    @Test
    void theManifestRequiresAJenkinsThatRunsOnJava17AndPluginsThatAcceptIt() throws Exception {
        try (ZipFile hpi = new ZipFile(HPI.toFile())) {
            Attributes a = new Manifest(hpi.getInputStream(hpi.getEntry("META-INF/MANIFEST.MF"))).getMainAttributes();
            assertEquals("2.479.1", a.getValue("Jenkins-Version"));
            assertEquals("workflow-step-api:700.v6e45cb_a_5a_a_21,credentials:1405.vb_cda_74a_f8974,"
                    + "ssh-credentials:355.v9b_e5b_cde5003,plain-credentials:183.va_de8f1dd5a_2b_", a.getValue("Plugin-Dependencies"));
            assertEquals(null, a.getValue("Minimum-Java-Version"), "read by Jenkins 2.346.x only; the Jenkins-Version says it");
        }
    }

    @Test
    void theHpiHasWhatJenkinsReadsAndNothingOfJenkins() throws Exception {
        assertTrue(Files.isRegularFile(HPI), "run in the verify phase: " + HPI + " is missing");
        try (ZipFile hpi = new ZipFile(HPI.toFile())) {
            Manifest manifest = new Manifest(hpi.getInputStream(hpi.getEntry("META-INF/MANIFEST.MF")));
            Attributes a = manifest.getMainAttributes();
            assertEquals("catalogue-ops", a.getValue("Short-Name"));
            assertNotNull(a.getValue("Long-Name"));
            assertTrue(a.getValue("Plugin-Version").startsWith("0."), a.getValue("Plugin-Version"));
            assertTrue(a.getValue("Jenkins-Version").matches("2\\.\\d+(\\.\\d+)?"), a.getValue("Jenkins-Version"));
            assertEquals("fr.gouv.data.catalogue", a.getValue("Group-Id"));
            assertEquals("true", a.getValue("Support-Dynamic-Loading"));
            assertNotNull(a.getValue("Url"));
            Set<String> dependencies = new TreeSet<>();
            for (String d : a.getValue("Plugin-Dependencies").split(",")) {
                assertTrue(d.matches("[a-z-]+:[0-9][0-9A-Za-z._]*"), d);
                dependencies.add(d.substring(0, d.indexOf(':')));
            }
            assertEquals(Set.of("credentials", "plain-credentials", "ssh-credentials", "workflow-step-api"), dependencies);

            List<String> libs = new ArrayList<>();
            List<Path> extracted = new ArrayList<>();
            Path dir = Files.createTempDirectory("hpi-test");
            for (ZipEntry e : java.util.Collections.list(hpi.entries())) {
                assertFalse(e.getName().endsWith(".class"), "classes live in WEB-INF/lib jars: " + e.getName());
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    String lib = e.getName().substring("WEB-INF/lib/".length());
                    libs.add(lib);
                    Path copy = dir.resolve(lib);
                    try (InputStream in = hpi.getInputStream(e)) {
                        Files.copy(in, copy);
                    }
                    extracted.add(copy);
                    assertNoJenkinsClass(hpi.getInputStream(e).readAllBytes(), lib);
                }
            }
            assertTrue(libs.contains("catalogue-ops.jar"), libs.toString());
            assertTrue(libs.stream().anyMatch(l -> l.startsWith("catalogue-ops-core-")), libs.toString());
            assertTrue(libs.stream().anyMatch(l -> l.startsWith("sshj-")) && libs.stream().anyMatch(l -> l.startsWith("jinjava-")),
                    libs.toString());
            assertFalse(libs.stream().anyMatch(l -> l.contains("stubs") || l.startsWith("sezpoz") || l.startsWith("junit")
                    || l.contains("testbed")), libs.toString());

            try (ZipFile plugin = new ZipFile(dir.resolve("catalogue-ops.jar").toFile())) {
                assertNotNull(plugin.getEntry("index.jelly"));
                ZipEntry index = plugin.getEntry("META-INF/annotations/hudson.Extension");
                assertNotNull(index);
                assertTrue(java.util.Arrays.equals(Files.readAllBytes(Path.of("target/classes/META-INF/annotations/hudson.Extension")),
                        plugin.getInputStream(index).readAllBytes()), "the packaged extension index is the one the build wrote");
                assertNotNull(plugin.getEntry("fr/gouv/data/catalogue/ops/jenkins/CatalogueProvisionStep/help-env.html"));
            }
            // the extension index, read by sezpoz as Jenkins reads it, from the packaged jar
            List<URL> urls = new ArrayList<>();
            for (Path p : extracted) {
                urls.add(p.toUri().toURL());
            }
            try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), Extension.class.getClassLoader())) {
                Set<String> indexed = new TreeSet<>();
                for (IndexItem<Extension, Object> item : Index.load(Extension.class, Object.class, loader)) {
                    indexed.add(item.className());
                }
                Set<String> expected = new TreeSet<>();
                for (var step : StepArgumentsTest.STEPS) {
                    expected.add(step.getName() + "$DescriptorImpl");
                }
                assertEquals(expected, indexed);
            }
        }
    }

    private static void assertNoJenkinsClass(byte[] jar, String lib) throws Exception {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                String n = e.getName();
                assertFalse(n.startsWith("hudson/") || n.startsWith("jenkins/") || n.startsWith("org/jenkinsci/plugins/workflow/")
                        || n.startsWith("org/kohsuke/stapler/") || n.startsWith("com/cloudbees/") || n.startsWith("net/java/sezpoz/")
                        || n.startsWith("org/jenkinsci/plugins/plaincredentials/"), lib + " holds " + n);
            }
        }
    }
}
