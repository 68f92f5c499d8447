package fr.gouv.data.catalogue.ops.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.FilePath;
import hudson.util.DirScanner;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test harness's FilePath copies as Jenkins' does: {@code copyRecursiveTo(target)} leaves out
 * Ant's default excludes (.git, .gitignore, ...) and copies files only, which is why a step that
 * needs a git clone copies with {@code new DirScanner.Glob("**}{@code /*", null, false)}. And the
 * harness declares every public member of the stubs it stands in for, so the plugin's classes
 * link against it as they do against Jenkins.
 */
class FilePathHarnessTest {
    @TempDir
    Path tmp;

    Path workspace() throws Exception {
        Path ws = tmp.resolve("ws");
        Files.createDirectories(ws.resolve(".git/objects/info"));
        Files.createDirectories(ws.resolve("empty"));
        Files.writeString(ws.resolve(".git/HEAD"), "ref: refs/heads/master\n");
        Files.writeString(ws.resolve(".gitignore"), "target/\n");
        Files.createDirectories(ws.resolve("ops/ansible"));
        Files.writeString(ws.resolve("ops/ansible/hosts"), "[web]\n");
        return ws;
    }

    static Set<String> tree(Path root) throws Exception {
        Set<String> all = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> all.add(root.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
        }
        return all;
    }

    @Test
    void thePlainCopyLosesGitAndEmptyFoldersAsJenkinsDoes() throws Exception {
        Path ws = workspace();
        Path into = tmp.resolve("plain");
        int copied = new FilePath(ws.toFile()).copyRecursiveTo(new FilePath(into.toFile()));
        assertEquals(1, copied);
        assertEquals(Set.of("ops/", "ops/ansible/", "ops/ansible/hosts"), tree(into), "no .git, no .gitignore, no empty folder");
    }

    @Test
    void theGlobWithoutDefaultExcludesKeepsGitButStillOnlyFiles() throws Exception {
        Path ws = workspace();
        Path into = tmp.resolve("full");
        int copied = new FilePath(ws.toFile()).copyRecursiveTo(new DirScanner.Glob("**/*", null, false), new FilePath(into.toFile()),
                "**/*");
        assertEquals(3, copied);
        assertEquals(Set.of(".git/", ".git/HEAD", ".gitignore", "ops/", "ops/ansible/", "ops/ansible/hosts"), tree(into),
                "files only: .git/objects/info and empty/ are not copied");
    }

    @Test
    void theHarnessDeclaresEveryPublicMemberOfTheStubs() throws Exception {
        URL stubs = AbortException.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader only = new URLClassLoader(new URL[] {stubs}, ClassLoader.getPlatformClassLoader())) {
            for (Class<?> harness : new Class<?>[] {FilePath.class, DirScanner.class, DirScanner.Glob.class}) {
                Class<?> stub = only.loadClass(harness.getName());
                assertTrue(stub.getClassLoader() == only && harness.getClassLoader() != only, "the stub and the harness are two classes");
                Set<String> missing = signatures(stub);
                missing.removeAll(signatures(harness));
                assertTrue(missing.isEmpty(), harness.getName() + ": the test harness lacks " + missing
                        + "; add them to jenkins-plugin/src/test/java/" + harness.getName().replace('.', '/') + ".java");
            }
        }
    }

    private static Set<String> signatures(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Modifier.isPublic(k.getModifiers())) {
                out.add("new(" + params(k.getParameterTypes()) + ")");
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                out.add(describe(m) + " " + m.getName() + "(" + params(m.getParameterTypes()) + ") -> " + m.getReturnType().getName());
            }
        }
        return out;
    }

    private static String describe(Member m) {
        return Modifier.isStatic(m.getModifiers()) ? "static" : "instance";
    }

    private static String params(Class<?>[] types) {
        return String.join(",", Arrays.stream(types).map(Class::getName).toList());
    }

    @Test
    void theStagingStepsCopyOfAGitCloneIsAGitClone() throws Exception {
        // what the step's work runs on the workspace's node: a clone with its .git, dot files, and
        // empty folders too (a gc'd clone's refs folders are empty, and git needs them)
        Path ws = workspace();
        Path into = tmp.resolve("scratch/copy");
        OpsRun.copyTree(ws, into);
        assertTrue(Files.isRegularFile(into.resolve(".git/HEAD")), tree(into).toString());
        assertTrue(Files.isRegularFile(into.resolve(".gitignore")), tree(into).toString());
        assertTrue(Files.isDirectory(into.resolve("empty")), tree(into).toString());
    }
}
