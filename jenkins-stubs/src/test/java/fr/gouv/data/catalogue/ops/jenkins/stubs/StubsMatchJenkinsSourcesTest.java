package fr.gouv.data.catalogue.ops.jenkins.stubs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every stub, member by member, against the real sources: for each type of jenkins-stubs, the real
 * file of the same path under one of the source roots given in {@code -Djenkins.sources=DIR:DIR...}
 * (Jenkins core's core/src/main/java, each plugin's src/main/java, stapler's core/src/main/java, at
 * the versions the .hpi declares), both parsed with javac's own parser. Compared: the kind, the
 * modifiers, the type parameters, what it extends and implements, and for every member the stub
 * declares, a member of the same name and parameter types with the same modifiers, return type,
 * type parameters and exceptions (annotations such as @NonNull, parameter names and package
 * qualifiers are not compared). Skipped without the property; scripts/compare-jenkins-stubs runs it.
 */
class StubsMatchJenkinsSourcesTest {
    static final Path STUBS = Path.of("src/main/java");
    /** Modifiers the comparison ignores: a stub need not be synchronized or strictfp like the original. */
    static final Set<Modifier> COMPARED = Set.of(Modifier.PUBLIC, Modifier.PROTECTED, Modifier.PRIVATE, Modifier.ABSTRACT,
            Modifier.STATIC, Modifier.FINAL, Modifier.DEFAULT);

    @Test
    void everyStubMemberIsDeclaredSoInTheRealSources() throws IOException {
        String roots = System.getProperty("jenkins.sources", "");
        assumeTrue(!roots.isBlank(), "set -Djenkins.sources to the real source roots (scripts/compare-jenkins-stubs)");
        List<Path> realRoots = Stream.of(roots.split(":")).map(Path::of).toList();
        List<String> problems = new ArrayList<>();
        int compared = 0;
        List<Path> stubs;
        try (Stream<Path> s = Files.walk(STUBS)) {
            stubs = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path stub : stubs) {
            Path relative = STUBS.relativize(stub);
            Optional<Path> real = realRoots.stream().map(r -> r.resolve(relative.toString())).filter(Files::isRegularFile).findFirst();
            if (real.isEmpty()) {
                problems.add(relative + ": no such file under " + roots);
                continue;
            }
            Map<String, ClassTree> stubTypes = types(parse(stub));
            CompilationUnitTree realUnit = parse(real.get());
            Map<String, ClassTree> realTypes = types(realUnit);
            for (var e : stubTypes.entrySet()) {
                ClassTree r = realTypes.get(e.getKey());
                if (r == null) {
                    problems.add(e.getKey() + ": not in " + real.get());
                    continue;
                }
                compared += compare(e.getKey(), e.getValue(), r, problems);
                Set<String> all = supertypes(realUnit, r, realRoots, new TreeSet<>());
                for (Tree t : supertypeTrees(e.getValue())) {
                    if (!all.contains(erased(type(t)))) {
                        problems.add(e.getKey() + ": stub's supertype " + type(t) + " is not among the real ones " + all);
                    }
                }
            }
        }
        System.out.println("compared " + stubs.size() + " stub files, " + compared + " declarations, with " + roots);
        problems.forEach(p -> System.out.println("MISMATCH " + p));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    static int compare(String name, ClassTree stub, ClassTree real, List<String> problems) {
        int n = 1;
        check(problems, name + " kind", stub.getKind(), real.getKind());
        check(problems, name + " modifiers", mods(stub.getModifiers().getFlags()), mods(real.getModifiers().getFlags()));
        check(problems, name + " type parameters", text(stub.getTypeParameters()), text(real.getTypeParameters()));
        // a stub declares only the supertypes the plugin needs: each must be a real one, directly or not (checked by the caller),
        // and one the real type names itself must have the same type arguments
        Set<String> direct = supertypeTrees(real).stream().map(StubsMatchJenkinsSourcesTest::type).collect(Collectors.toSet());
        for (Tree t : supertypeTrees(stub)) {
            String written = type(t);
            if (!direct.contains(written) && direct.stream().anyMatch(d -> erased(d).equals(erased(written)))) {
                problems.add(name + " supertype: stub " + written + ", real " + direct);
            }
        }
        Map<String, MethodTree> realMethods = methods(real);
        for (var e : methods(stub).entrySet()) {
            n++;
            MethodTree r = realMethods.get(e.getKey());
            if (r == null) {
                problems.add(name + "." + e.getKey() + ": not declared in the real source");
                continue;
            }
            MethodTree s = e.getValue();
            String at = name + "." + e.getKey();
            Set<String> sm = mods(s.getModifiers().getFlags());
            Set<String> rm = mods(r.getModifiers().getFlags());
            if (real.getKind() == Tree.Kind.INTERFACE || real.getKind() == Tree.Kind.ANNOTATION_TYPE) {
                // interface members are public (and abstract unless default or static) whether written or not
                sm.remove("public");
                rm.remove("public");
                sm.remove("abstract");
                rm.remove("abstract");
            }
            check(problems, at + " modifiers", sm, rm);
            check(problems, at + " returns", type(s.getReturnType()), type(r.getReturnType()));
            check(problems, at + " type parameters", text(s.getTypeParameters()), text(r.getTypeParameters()));
            check(problems, at + " throws", new TreeSet<>(text(s.getThrows())), new TreeSet<>(text(r.getThrows())));
            check(problems, at + " default value", constant(s.getDefaultValue()), constant(r.getDefaultValue()));
        }
        return n;
    }

    static List<Tree> supertypeTrees(ClassTree c) {
        List<Tree> out = new ArrayList<>();
        if (c.getExtendsClause() != null) {
            out.add(c.getExtendsClause());
        }
        out.addAll(c.getImplementsClause());
        return out;
    }

    static String erased(String type) {
        int lt = type.indexOf('<');
        return lt < 0 ? type : type.substring(0, lt);
    }

    /**
     * Every supertype of {@code c} by simple name, following each one's source under the roots
     * (found through the file's imports or its package); types whose source is not there (the
     * JDK's, Guava's) end the walk.
     */
    static Set<String> supertypes(CompilationUnitTree unit, ClassTree c, List<Path> roots, Set<String> seen) throws IOException {
        for (Tree t : supertypeTrees(c)) {
            String simple = erased(type(t));
            if (!seen.add(simple)) {
                continue;
            }
            String pkg = unit.getPackageName().toString();
            List<String> candidates = new ArrayList<>();
            for (var imp : unit.getImports()) {
                String q = imp.getQualifiedIdentifier().toString();
                if (q.endsWith("." + simple)) {
                    candidates.add(q);
                } else if (q.endsWith(".*")) {
                    candidates.add(q.substring(0, q.length() - 1) + simple);
                }
            }
            candidates.add(pkg + "." + simple);
            for (String q : candidates) {
                Optional<Path> file = roots.stream().map(r -> r.resolve(q.replace('.', '/') + ".java")).filter(Files::isRegularFile)
                        .findFirst();
                if (file.isPresent()) {
                    CompilationUnitTree u = parse(file.get());
                    ClassTree st = types(u).get(q);
                    if (st != null) {
                        supertypes(u, st, roots, seen);
                    }
                    break;
                }
            }
        }
        return seen;
    }

    static void check(List<String> problems, String what, Object stub, Object real) {
        if (!stub.equals(real)) {
            problems.add(what + ": stub " + stub + ", real " + real);
        }
    }

    static CompilationUnitTree parse(Path file) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            JavacTask task = (JavacTask) javac.getTask(null, files, d -> { }, List.of("-proc:none"), null,
                    files.getJavaFileObjects(file));
            return task.parse().iterator().next();
        }
    }

    /** Every type of a file, nested ones as Outer.Inner. */
    static Map<String, ClassTree> types(CompilationUnitTree unit) {
        Map<String, ClassTree> out = new LinkedHashMap<>();
        String pkg = unit.getPackageName().toString();
        for (Tree t : unit.getTypeDecls()) {
            if (t instanceof ClassTree c) {
                add(out, pkg + "." + c.getSimpleName(), c);
            }
        }
        return out;
    }

    static void add(Map<String, ClassTree> out, String name, ClassTree c) {
        out.put(name, c);
        for (Tree m : c.getMembers()) {
            if (m instanceof ClassTree inner) {
                add(out, name + "." + inner.getSimpleName(), inner);
            }
        }
    }

    /** Methods, constructors and annotation elements by name(parameter types); private ones are left out. */
    static Map<String, MethodTree> methods(ClassTree c) {
        Map<String, MethodTree> out = new LinkedHashMap<>();
        for (Tree m : c.getMembers()) {
            if (m instanceof MethodTree method && !method.getModifiers().getFlags().contains(Modifier.PRIVATE)) {
                String params = method.getParameters().stream().map(StubsMatchJenkinsSourcesTest::param)
                        .collect(Collectors.joining(", "));
                out.put(method.getName() + "(" + params + ")", method);
            }
        }
        return out;
    }

    static String param(VariableTree v) {
        String t = type(v.getType());
        boolean varargs = (v.getModifiers().toString() + " " + v).contains("...");
        return varargs && t.endsWith("[]") ? t.substring(0, t.length() - 2) + "..." : t;
    }

    /** An annotation element's default as written, a constant's qualifier left out (YesNoMaybe.MAYBE and MAYBE alike). */
    static String constant(Tree value) {
        String v = String.valueOf(value);
        return v.contains(".") && !v.matches("[\\d.]+") ? v.substring(v.lastIndexOf('.') + 1) : v;
    }

    static Set<String> mods(Set<Modifier> flags) {
        return flags.stream().filter(COMPARED::contains).map(Modifier::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    static List<String> text(List<? extends Tree> trees) {
        return trees.stream().map(StubsMatchJenkinsSourcesTest::type).toList();
    }

    /** A type as written, without annotations, package qualifiers or spaces. */
    static String type(Tree t) {
        if (t == null) {
            return "-";
        }
        return t.toString().replaceAll("@[\\w.]+(\\([^)]*\\))?\\s*", "").replaceAll("\\b(?:[a-z]\\w*\\.)+([A-Z])", "$1")
                .replaceAll("\\s+", "");
    }
}
