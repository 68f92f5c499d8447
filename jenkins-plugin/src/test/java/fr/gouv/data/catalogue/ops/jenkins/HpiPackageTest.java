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
            assertEquals(List.of("bcpkix-jdk18on-1.78.1.jar", "bcprov-jdk18on-1.78.1.jar", "bcutil-jdk18on-1.78.1.jar",
                    "catalogue-ops.jar"), libs.stream().sorted().toList(), "the plugin's jar (core and its libraries inside) and"
                    + " BouncyCastle's signed jars");

            try (ZipFile plugin = new ZipFile(dir.resolve("catalogue-ops.jar").toFile())) {
                // what Jenkins' class filter looks for to take a jar's classes for a plugin's (ClassFilterImpl.isPluginManifest)
                Attributes pm = new Manifest(plugin.getInputStream(plugin.getEntry("META-INF/MANIFEST.MF"))).getMainAttributes();
                assertEquals("catalogue-ops", pm.getValue("Short-Name"));
                assertEquals(a.getValue("Plugin-Version"), pm.getValue("Plugin-Version"));
                assertEquals(a.getValue("Jenkins-Version"), pm.getValue("Jenkins-Version"));
                assertEquals(a.getValue("Plugin-Dependencies"), pm.getValue("Plugin-Dependencies"));
                assertEquals(a.getValue("Long-Name"), pm.getValue("Long-Name"));
                assertNotNull(plugin.getEntry("fr/gouv/data/catalogue/ops/api/CatalogueOps.class"), "core is inside");
                assertNotNull(plugin.getEntry("net/schmizz/sshj/SSHClient.class"), "sshj is inside");
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

    static final String SHADED = "fr.gouv.data.catalogue.ops.jenkins.shaded.";

    /** A library of Jenkins core, from the test data: its coordinates, version and package roots. */
    record CoreLibrary(String coordinates, String version, List<String> packages) {
        boolean ships(String pkg) {
            return specificity(pkg) >= 0;
        }

        int specificity(String pkg) {
            return packages.stream().filter(p -> p.startsWith("=") ? pkg.equals(p.substring(1)) : pkg.equals(p) || pkg.startsWith(p + "."))
                    .mapToInt(String::length).max().orElse(-1);
        }
    }

    static List<CoreLibrary> coreLibraries() throws Exception {
        List<CoreLibrary> out = new ArrayList<>();
        try (InputStream in = HpiPackageTest.class.getResourceAsStream("/jenkins-core-2.479.1-libraries.txt")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                List<String> packages = List.of(f).subList(2, f.length).stream().filter(p -> !p.equals("?")).toList();
                // "=a.b" is the package a.b alone
                out.add(new CoreLibrary(f[0], f[1], packages));
            }
        }
        return out;
    }

    /** The core library that ships {@code pkg} (the most specific line), or null. */
    static CoreLibrary owner(List<CoreLibrary> core, String pkg) {
        return core.stream().filter(l -> l.ships(pkg)).max(java.util.Comparator.comparingInt(l -> l.specificity(pkg))).orElse(null);
    }

    /** The packages of a jar's classes (multi-release versions counted as the base package). */
    static Set<String> packages(Path jar) throws Exception {
        Set<String> out = new TreeSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                String n = e.getName().replaceFirst("^META-INF/versions/\\d+/", "");
                if (n.endsWith(".class") && n.contains("/") && !n.endsWith("module-info.class")) {
                    out.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.'));
                }
            }
        }
        return out;
    }

    /** groupId:artifactId version of a library jar, from the pom.properties Maven put in it (else its file name). */
    static String coordinates(Path jar) throws Exception {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties")) {
                    java.util.Properties p = new java.util.Properties();
                    p.load(z.getInputStream(e));
                    return p.getProperty("groupId") + ":" + p.getProperty("artifactId") + " " + p.getProperty("version");
                }
            }
        }
        return jar.getFileName().toString();
    }

    /**
     * Jenkins loads a plugin's classes parent first: a package the .hpi ships under the same name as
     * a library of Jenkins' core is core's at run time. Every such package must be isolated (relocated
     * under the plugin's own package) or be the same library at the same version; the listing says
     * what became of each package the plugin's libraries share with core (relocated, the same, or
     * left to core: not shipped).
     */
    @Test
    void everyPackageTheBundleSharesWithJenkinsCoreIsIsolatedOrTheSameVersion() throws Exception {
        List<CoreLibrary> core = coreLibraries();
        java.util.Map<String, String> inputOf = new java.util.TreeMap<>();
        try (var inputs = Files.list(Path.of("target/bundle-inputs"))) {
            for (Path jar : inputs.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                String c = coordinates(jar);
                for (String pkg : packages(jar)) {
                    inputOf.merge(pkg, c, (x, y) -> x + ", " + y);
                }
            }
        }
        Set<String> shipped = new TreeSet<>();
        Path dir = Files.createTempDirectory("hpi-packages");
        try (ZipFile hpi = new ZipFile(HPI.toFile())) {
            for (ZipEntry e : java.util.Collections.list(hpi.entries())) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    Path copy = dir.resolve(e.getName().substring("WEB-INF/lib/".length()));
                    try (InputStream in = hpi.getInputStream(e)) {
                        Files.copy(in, copy);
                    }
                    shipped.addAll(packages(copy));
                }
            }
        }
        List<String> listing = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (var e : inputOf.entrySet()) {
            String pkg = e.getKey();
            CoreLibrary lib = owner(core, pkg);
            if (lib == null) {
                continue;
            }
            String ours = e.getValue();
            String theirs = lib.coordinates() + " " + lib.version();
            String fate;
            if (shipped.contains(SHADED + pkg) && !shipped.contains(pkg)) {
                fate = "relocated to " + SHADED + pkg;
            } else if (!shipped.contains(pkg)) {
                fate = "not shipped (left out of the .hpi)";
            } else if (ours.equals(theirs)) {
                fate = "shipped, the same version as core's";
            } else {
                fate = "SHIPPED AS IS: core's " + theirs + " wins over the plugin's " + ours;
                problems.add(pkg + ": " + fate + "; relocate it (maven-shade-plugin in jenkins-plugin/pom.xml), leave it"
                        + " to core, or use core's version");
            }
            listing.add(pkg + "  (plugin: " + ours + "; core: " + theirs + ")  " + fate);
        }
        for (String pkg : shipped) {
            if (!pkg.startsWith(SHADED) && !inputOf.containsKey(pkg) && owner(core, pkg) != null) {
                problems.add(pkg + ": in the .hpi, from no known library, and core ships it (" + owner(core, pkg).coordinates() + ")");
            }
        }
        System.out.println("packages the plugin's libraries share with Jenkins 2.479.1's core:");
        listing.forEach(l -> System.out.println("  " + l));
        assertFalse(listing.isEmpty(), "Guava and commons-codec are in both");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The .hpi's jars in a class loader of their own, whose parent holds what Jenkins' core provides in their stead (slf4j). */
    static URLClassLoader pluginClassLoader(Path dir) throws Exception {
        List<URL> urls = new ArrayList<>();
        try (ZipFile hpi = new ZipFile(HPI.toFile())) {
            for (ZipEntry e : java.util.Collections.list(hpi.entries())) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    Path copy = dir.resolve(e.getName().substring("WEB-INF/lib/".length()));
                    try (InputStream in = hpi.getInputStream(e)) {
                        Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    urls.add(copy.toUri().toURL());
                }
            }
        }
        List<URL> jenkins = new ArrayList<>();
        try (var inputs = Files.list(Path.of("target/bundle-inputs"))) {
            for (Path jar : inputs.filter(p -> p.getFileName().toString().matches("(slf4j-api|jcl-over-slf4j)-.*\\.jar")).toList()) {
                jenkins.add(jar.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), new URLClassLoader(jenkins.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader()));
    }

    /** {@code env check demo} on the example ops folder, through the facade of the given class loader. */
    static Object checkDemo(ClassLoader plugin) throws Exception {
        Class<?> ops = plugin.loadClass("fr.gouv.data.catalogue.ops.api.CatalogueOps");
        Object o = ops.getMethod("open", Path.class).invoke(null, Path.of("../examples/ops/ansible").toAbsolutePath());
        try {
            return ops.getMethod("check", String.class).invoke(o, "demo");
        } finally {
            ops.getMethod("close").invoke(o);
        }
    }

    /**
     * The bundle works on its own (core, its template engine on the relocated Guava, the YAML and vault
     * code) on a thread like the ones Jenkins runs a step on, whose context class loader is core's and
     * sees no plugin: straight from there Jinjava cannot load its parser; through the plugin's
     * PluginContextClassLoader, as every step's OpsRun does, it works.
     */
    @Test
    void theBundledCoreRunsFromTheHpisJarsAloneOnAStepsThread() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        ClassLoader jenkinsCore = ClassLoader.getPlatformClassLoader();
        try (URLClassLoader plugin = pluginClassLoader(Files.createTempDirectory("hpi-run"))) {
            thread.setContextClassLoader(jenkinsCore);
            Class<?> context = plugin.loadClass("fr.gouv.data.catalogue.ops.jenkins.PluginContextClassLoader");
            java.lang.reflect.Method call = context.getDeclaredMethod("call", java.util.concurrent.Callable.class);
            call.setAccessible(true);
            java.util.concurrent.Callable<Object> check = () -> checkDemo(plugin);
            assertEquals(List.of(), call.invoke(null, check), "env check demo from the bundle");
            assertTrue(thread.getContextClassLoader() == jenkinsCore, "put back");
            assertTrue(plugin.loadClass("fr.gouv.data.catalogue.ops.jenkins.shaded.com.google.common.collect.ImmutableList")
                    .getClassLoader() == plugin);
        } finally {
            thread.setContextClassLoader(before);
        }
        try (URLClassLoader plugin = pluginClassLoader(Files.createTempDirectory("hpi-run"))) {
            thread.setContextClassLoader(jenkinsCore);
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> checkDemo(plugin));
            Throwable cause = e;
            StringBuilder causes = new StringBuilder();
            for (; cause != null; cause = cause.getCause()) {
                causes.append(cause).append('\n');
            }
            assertTrue(causes.toString().contains("ClassNotFoundException: com.hubspot.jinjava.el.ExtendedSyntaxBuilder"),
                    causes.toString());
        } finally {
            thread.setContextClassLoader(before);
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
