package fr.gouv.data.catalogue.ops.internal.daytwo;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.deploy.Deployment;
import fr.gouv.data.catalogue.ops.internal.deploy.LiveRelease;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.HostVariables;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.report.HostToolRun;
import fr.gouv.data.catalogue.ops.report.ToolOutput;
import fr.gouv.data.catalogue.ops.report.ToolRunReport;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The environment's initial data loaded with the app's own tool ({@code make ops-initdata}):
 * {@code initdata_src} read on this machine (decrypted when vault-encrypted), uploaded into the
 * live release as {@code ops/run/initdata.yml} (0600, the app's user), {@code venv/bin/python -m
 * tools.initdata --no-input} run there with the release's {@code .env}, and the plain copy
 * removed whatever happens. Running it again creates nothing twice: the tool skips what exists.
 */
public final class InitialData {
    /** The variable naming the initial data file. */
    public static final String VARIABLE = "initdata_src";
    static final List<String> ARGV = List.of("venv/bin/python", "-m", "tools.initdata", "--no-input", DayTwoScripts.INITDATA_FILE);

    /** The file's bytes in clear (wipe them with {@link #close()}) and how to name it in messages. */
    public static final class Source implements AutoCloseable {
        private final String shown;
        private final byte[] content;

        Source(String shown, byte[] content) {
            this.shown = shown;
            this.content = content;
        }

        public String shown() {
            return shown;
        }

        @Override
        public void close() {
            Arrays.fill(content, (byte) 0);
        }
    }

    private InitialData() {
    }

    /**
     * Reads {@code file}, or {@code initdata_src} of the first web host when it is null; decrypts
     * it when encrypted and checks that it is a YAML mapping. Nothing is sent anywhere.
     */
    public static Source read(Environment env, Path file) throws OpsException {
        Path path;
        String where;
        if (file != null) {
            path = env.options().workingDirectory().resolve(file).normalize();
            where = "";
        } else {
            List<String> web = env.webHosts();
            if (web.isEmpty()) {
                throw new ConfigException(env.name() + ": no host in group [web]");
            }
            HostVariables vars = env.variables(web.get(0));
            Object value = vars.isDefined(VARIABLE) ? vars.get(VARIABLE) : null;
            if (value == null || String.valueOf(value).isBlank()) {
                throw new ConfigException(env.name() + ": no initial data: initdata_src is not defined; add initdata_src: \"{{"
                        + " inventory_dir }}/assets/initdata.yml\" to " + env.show(env.dir().resolve("group_vars/web.yml"))
                        + " and put the file there (or give the file with --file FILE)");
            }
            path = env.options().workingDirectory().resolve(String.valueOf(value).strip()).normalize();
            where = vars.variable(VARIABLE).map(v -> v.origin() + ": initdata_src").orElse("initdata_src");
        }
        if (!Files.isRegularFile(path)) {
            String problem = Files.isDirectory(path) ? "is a folder" : "does not exist";
            throw new ConfigException(file != null ? "the initial data file " + env.show(path) + " " + problem
                    + "; give the initial data file (YAML)" : where + " points to " + env.show(path) + ", which " + problem
                    + "; create the file (YAML) or fix initdata_src");
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigException(env.show(path) + ": cannot be read (" + e.getMessage() + ")");
        }
        byte[] plain = raw;
        if (Vault.isEncrypted(raw)) {
            plain = env.options().vault().vault().decrypt(raw, env.show(path)).plaintext();
        }
        checkYaml(env.show(path), plain);
        return new Source(env.show(path), plain);
    }

    private static void checkYaml(String shown, byte[] plain) throws ConfigException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(shown + ": not UTF-8 text; the initial data is a YAML file");
        }
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (MarkedYAMLException e) {
            // the problem and its line only: the file's text may hold passwords
            throw new ConfigException(shown + ":" + (e.getProblemMark() == null ? "" : (e.getProblemMark().getLine() + 1) + ":")
                    + " not valid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(shown + ": not valid YAML");
        }
        if (!(doc instanceof Map)) {
            throw new ConfigException(shown + ": the initial data must be a YAML mapping (organizations:, users:, tags:,"
                    + " datasets: ...), found " + (doc == null ? "an empty document" : "a " + (doc instanceof List ? "list" : "value")));
        }
    }

    /** Loads {@code source} on each of {@code hosts} in turn, under the lock; stops at the first host that fails. */
    public static ToolRunReport run(Deployment deployment, String environment, List<String> hosts, Source source, ToolOutput output)
            throws OpsException, InterruptedException {
        long start = System.nanoTime();
        List<Outcome> runs = deployment.inLiveReleases(hosts, "initdata", source.shown(), r -> load(r, source, output));
        return new ToolRunReport(environment, "initdata", ARGV, runs.stream().map(Outcome::run).toList(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static Outcome load(LiveRelease r, Source source, ToolOutput output) throws OpsException {
        long start = System.nanoTime();
        var folder = r.exec(DayTwoScripts.runFolder(r.dir()), (h, e, l) -> { });
        if (!folder.ok()) {
            throw new OpsException(r.host() + ": cannot create " + r.dir() + "/ops/run: " + r.tail(folder, 3));
        }
        try {
            r.upload(source.content, r.dir() + "/" + DayTwoScripts.INITDATA_FILE, "0600");
            Outcome.Lines lines = new Outcome.Lines();
            var result = r.exec(DayTwoScripts.initdata(r.dir()), (h, stderr, line) -> {
                lines.add(line);
                output.line(r.host(), stderr, line);
            });
            return Outcome.of(r, result.exitCode(), result.ok() ? lines.last() : "exit " + result.exitCode() + ": " + r.tail(result, 3),
                    start);
        } finally {
            try {
                r.exec(DayTwoScripts.removeInitdata(r.dir()), (h, e, l) -> { });
            } catch (OpsException e) {
                output.line(r.host(), true, "could not remove " + r.dir() + "/" + DayTwoScripts.INITDATA_FILE + " (" + e.getMessage()
                        + "); remove it by hand");
            }
        }
    }

    /** One host's run, as the audit log and the report see it. */
    record Outcome(HostToolRun run) implements Deployment.Audited {
        static Outcome of(LiveRelease r, int exit, String message, long start) {
            return new Outcome(new HostToolRun(r.host(), r.id(), r.commit(), exit, r.mask(message),
                    Duration.ofNanos(System.nanoTime() - start)));
        }

        @Override
        public String auditResult() {
            return run.succeeded() ? "done" : "failed";
        }

        @Override
        public String auditMessage() {
            return run.message();
        }

        @Override
        public boolean succeeded() {
            return run.succeeded();
        }

        /** The last non-blank line seen (the tool's summary). */
        static final class Lines {
            private volatile String last = "";

            void add(String line) {
                if (!line.isBlank()) {
                    last = line.strip();
                }
            }

            String last() {
                return last;
            }
        }
    }
}
