package fr.gouv.data.catalogue.ops.internal.environment;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads Ansible variable files: {@code group_vars/NAME}, {@code NAME.yml}, {@code NAME.yaml},
 * {@code NAME.json}, or a directory {@code NAME/} of such files (in name order). A file that is
 * vault-encrypted as a whole is decrypted, and all its variables are secret.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Paths paths;
    private final HostVariables.VaultAccess vault;
    /** Warnings met while reading (duplicate keys), once each even when files are read for every host. */
    private final java.util.Set<String> warnings = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    VarsFiles(Paths paths, HostVariables.VaultAccess vault) {
        this.paths = paths;
        this.vault = vault;
    }

    Paths paths() {
        return paths;
    }

    void warn(List<String> more) {
        warnings.addAll(more);
    }

    List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** Display of paths in messages: relative to the working directory when below it. */
    record Paths(Path workingDirectory) {
        String show(Path p) {
            Path abs = p.toAbsolutePath().normalize();
            return abs.startsWith(workingDirectory) && !abs.equals(workingDirectory)
                    ? workingDirectory.relativize(abs).toString() : abs.toString();
        }
    }

    /** Variables of {@code dir/name} in all its accepted forms; empty when there is none. */
    Map<String, Variable> load(Path dir, String name) throws OpsException {
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (String ext : EXTENSIONS) {
            Path candidate = dir.resolve(name + ext);
            if (Files.isRegularFile(candidate)) {
                vars.putAll(loadFile(candidate));
            }
        }
        Path folder = dir.resolve(name);
        if (Files.isDirectory(folder)) {
            for (Path file : filesIn(folder)) {
                vars.putAll(loadFile(file));
            }
        }
        return vars;
    }

    private List<Path> filesIn(Path folder) throws ConfigException {
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = new ArrayList<>();
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return !n.contains(".") || n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".json");
                    })
                    .sorted()
                    .forEach(files::add);
            return files;
        } catch (IOException e) {
            throw new ConfigException("cannot list " + paths.show(folder) + ": " + fr.gouv.data.catalogue.ops.internal.fs.AtomicFile.reason(e));
        } catch (java.io.UncheckedIOException e) {
            throw new ConfigException("cannot list " + paths.show(folder) + ": "
                    + fr.gouv.data.catalogue.ops.internal.fs.AtomicFile.reason(e.getCause()));
        }
    }

    Map<String, Variable> loadFile(Path file) throws OpsException {
        String shown = paths.show(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + shown + ": " + fr.gouv.data.catalogue.ops.internal.fs.AtomicFile.reason(e));
        }
        boolean encrypted = Vault.isEncrypted(bytes);
        if (encrypted) {
            bytes = vault.vault().decrypt(bytes, shown).plaintext();
        }
        YamlFile.Entries entries = YamlFile.readMapping(YamlFile.text(bytes, shown), shown);
        warn(entries.warnings());
        Map<String, Variable> vars = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries.values().entrySet()) {
            Origin origin = Origin.at(shown, entries.lines().get(e.getKey()));
            Object value = e.getValue();
            vars.put(e.getKey(), new Variable(e.getKey(), value, origin, encrypted || value instanceof VaultedValue));
        }
        return vars;
    }
}
