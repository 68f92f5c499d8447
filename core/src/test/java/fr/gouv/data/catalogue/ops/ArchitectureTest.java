package fr.gouv.data.catalogue.ops;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of core, kept by the build: packages import down the layers only, and what is public
 * is either the documented API or says by its package name that it is not.
 */
class ArchitectureTest {
    /** The API packages: what other Java code may use (docs/java-api.md lists the same). */
    static final Set<String> API_PACKAGES = Set.of("fr.gouv.data.catalogue.ops", "fr.gouv.data.catalogue.ops.api",
            "fr.gouv.data.catalogue.ops.report");
    static final String INTERNAL = "fr.gouv.data.catalogue.ops.internal";

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().importPath(Path.of("target/classes"));
    }

    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Base").definedBy("fr.gouv.data.catalogue.ops", "fr.gouv.data.catalogue.ops.report")
                .layer("Files").definedBy("..internal.fs..", "..internal.keys..")
                .layer("Vault").definedBy("..internal.vault..")
                .layer("Environment").definedBy("..internal.environment..")
                .layer("Remote").definedBy("..internal.remote..")
                .layer("Access").definedBy("..internal.access..")
                .layer("Task").definedBy("..internal.task..")
                .layer("Recipes").definedBy("..internal.provision..", "..internal.staging..", "..internal.deploy..",
                        "..internal.certs..", "..internal.daytwo..", "..internal.doctor..")
                .layer("Api").definedBy("fr.gouv.data.catalogue.ops.api..")
                .whereLayer("Api").mayNotBeAccessedByAnyLayer()
                .whereLayer("Recipes").mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Task").mayOnlyBeAccessedByLayers("Recipes", "Api")
                .whereLayer("Access").mayOnlyBeAccessedByLayers("Task", "Recipes", "Api")
                .whereLayer("Remote").mayOnlyBeAccessedByLayers("Access", "Task", "Recipes", "Api")
                .whereLayer("Environment").mayOnlyBeAccessedByLayers("Access", "Task", "Recipes", "Api")
                .whereLayer("Vault").mayOnlyBeAccessedByLayers("Environment", "Access", "Task", "Recipes", "Api")
                .whereLayer("Files").mayOnlyBeAccessedByLayers("Vault", "Environment", "Remote", "Access", "Task",
                        "Recipes", "Api");
    }

    @Test
    void packagesImportDownTheLayersOnly() {
        layers().check(core);
    }

    /** Public types outside the API packages and outside {@code internal}: none. */
    static List<String> strayPublicTypes(JavaClasses classes) {
        List<String> stray = new ArrayList<>();
        for (JavaClass c : classes) {
            if (c.getModifiers().contains(JavaModifier.PUBLIC) && !c.isAnonymousClass()
                    && !API_PACKAGES.contains(c.getPackageName()) && !c.getPackageName().startsWith(INTERNAL)) {
                stray.add(c.getName());
            }
        }
        return stray;
    }

    @Test
    void everyPublicTypeIsApiOrInternal() {
        assertEquals(List.of(), strayPublicTypes(core), "public types outside " + API_PACKAGES + " and " + INTERNAL);
    }

    /**
     * What the API's public signatures mention from {@code internal}: a caller could not use such a
     * method without reaching into the engine.
     */
    static Set<String> internalTypesInApiSignatures(JavaClasses classes) {
        Set<String> leaks = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!API_PACKAGES.contains(c.getPackageName()) || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
                continue;
            }
            Class<?> type = c.reflect();
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
                    check(type, m.getName(), m.getGenericReturnType(), leaks);
                    for (Type p : m.getGenericParameterTypes()) {
                        check(type, m.getName(), p, leaks);
                    }
                    for (Type e : m.getGenericExceptionTypes()) {
                        check(type, m.getName(), e, leaks);
                    }
                }
            }
            for (Constructor<?> k : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    for (Type p : k.getGenericParameterTypes()) {
                        check(type, "<init>", p, leaks);
                    }
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    check(type, f.getName(), f.getGenericType(), leaks);
                }
            }
            if (type.isRecord()) {
                for (RecordComponent r : type.getRecordComponents()) {
                    check(type, r.getName(), r.getGenericType(), leaks);
                }
            }
            Type superclass = type.getGenericSuperclass();
            if (superclass != null) {
                check(type, "extends", superclass, leaks);
            }
            for (Type i : type.getGenericInterfaces()) {
                check(type, "implements", i, leaks);
            }
        }
        return leaks;
    }

    private static void check(Class<?> owner, String member, Type t, Set<String> leaks) {
        if (t instanceof Class<?> k) {
            Class<?> element = k;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (element.getName().startsWith(INTERNAL + ".")) {
                leaks.add(owner.getName() + "." + member + ": " + element.getName());
            }
        } else if (t instanceof ParameterizedType p) {
            check(owner, member, p.getRawType(), leaks);
            for (Type a : p.getActualTypeArguments()) {
                check(owner, member, a, leaks);
            }
        } else if (t instanceof GenericArrayType g) {
            check(owner, member, g.getGenericComponentType(), leaks);
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(owner, member, b, leaks);
            }
            for (Type b : w.getLowerBounds()) {
                check(owner, member, b, leaks);
            }
        }
    }

    @Test
    void apiSignaturesMentionNoInternalType() {
        assertEquals(Set.of(), internalTypesInApiSignatures(core));
    }

    @Test
    void noMapOfObjectsInTheApi() {
        Set<String> untyped = new TreeSet<>();
        for (JavaClass c : core) {
            if (API_PACKAGES.contains(c.getPackageName()) && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                for (Method m : c.reflect().getDeclaredMethods()) {
                    if (Modifier.isPublic(m.getModifiers()) && m.getGenericReturnType().getTypeName()
                            .equals("java.util.Map<java.lang.String, java.lang.Object>")) {
                        untyped.add(c.getName() + "." + m.getName());
                    }
                }
            }
        }
        assertEquals(Set.of(), untyped, "results are typed records, not maps");
    }
}
