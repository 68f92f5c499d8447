package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Jinja templates of the recipes: shipped in catalogue-ops, and overridden by a file of the
 * same name in {@code <ops-dir>/templates/} when the team keeps its own.
 */
public final class Templates {
    private static final String BASE = "/fr/gouv/data/catalogue/ops/provision/";
    private final Path overrides;

    public Templates(Path opsDir) {
        this.overrides = opsDir == null ? null : opsDir.resolve("templates");
    }

    public static Templates shipped() {
        return new Templates(null);
    }

    /** The template's text, and where it came from. */
    public record Template(String name, String text, String source) {
    }

    public Template get(String name) throws ConfigException {
        if (overrides != null && Files.isRegularFile(overrides.resolve(name))) {
            try {
                return new Template(name, Files.readString(overrides.resolve(name)), overrides.resolve(name).toString());
            } catch (IOException e) {
                throw new ConfigException("cannot read " + overrides.resolve(name) + ": " + e.getMessage());
            }
        }
        return new Template(name, resource("templates/" + name), "catalogue-ops: templates/" + name);
    }

    /** A file shipped with the recipes (e.g. ffdhe2048.pem). */
    static String resource(String path) {
        try (InputStream in = Templates.class.getResourceAsStream(BASE + path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }
}
