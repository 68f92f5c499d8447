package fr.gouv.data.catalogue.ops.examples.javaapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fr.gouv.data.catalogue.ops.api.CatalogueOps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The example uses the API packages only: every catalogue-ops class its compiled classes refer to
 * (imports, fully qualified names, signatures alike) is in {@code fr.gouv.data.catalogue.ops},
 * {@code ...ops.api} or {@code ...ops.report}, never in {@code ...ops.internal}.
 */
class ApiOnlyTest {
    static final Set<String> API_PACKAGES = Set.of("fr/gouv/data/catalogue/ops", "fr/gouv/data/catalogue/ops/api",
            "fr/gouv/data/catalogue/ops/report");
    static final String OWN_PACKAGE = CheckAndProvision.class.getPackageName().replace('.', '/');
    /** A class name as the class file's constant pool holds it (in class entries and type descriptors). */
    static final Pattern OPS_CLASS = Pattern.compile("fr/gouv/data/catalogue/ops/[A-Za-z0-9_$/]*");

    @Test
    void theExampleRefersToApiPackagesOnly() throws Exception {
        Path classes = Path.of(CheckAndProvision.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertFalse(files.isEmpty(), "no class file under " + classes);
        Set<String> packages = new TreeSet<>();
        for (Path f : files) {
            packages.addAll(packagesReferred(Files.readAllBytes(f)));
        }
        packages.remove(OWN_PACKAGE);
        assertTrue(packages.contains("fr/gouv/data/catalogue/ops/api"), "the scan sees the API: " + packages);
        assertTrue(API_PACKAGES.containsAll(packages), "the example refers to packages outside the API: " + packages);
    }

    /** The scan does see internal classes: the facade itself, in core, refers to them. */
    @Test
    void theScanFindsInternalReferencesWhereThereAreSome() throws IOException {
        try (InputStream in = CatalogueOps.class.getResourceAsStream("CatalogueOps.class")) {
            assertTrue(packagesReferred(in.readAllBytes()).stream().anyMatch(p -> p.startsWith("fr/gouv/data/catalogue/ops/internal/")));
        }
    }

    /** The packages of the catalogue-ops classes a class file names. */
    static Set<String> packagesReferred(byte[] classFile) {
        // names in the constant pool are modified UTF-8; for ASCII names that is ASCII
        Matcher m = OPS_CLASS.matcher(new String(classFile, StandardCharsets.ISO_8859_1));
        Set<String> packages = new TreeSet<>();
        while (m.find()) {
            String name = m.group();
            packages.add(name.substring(0, name.lastIndexOf('/')));
        }
        return packages;
    }

    @Test
    void packageOfAName() {
        assertEquals(Set.of("fr/gouv/data/catalogue/ops/report"),
                packagesReferred("(Lfr/gouv/data/catalogue/ops/report/TaskResult;)V".getBytes(StandardCharsets.ISO_8859_1)));
    }
}
