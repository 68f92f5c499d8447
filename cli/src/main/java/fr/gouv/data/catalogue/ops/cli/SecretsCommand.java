package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.YamlFile;
import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import fr.gouv.data.catalogue.ops.internal.vault.VaultFiles;
import java.nio.charset.StandardCharsets;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCheck;
import fr.gouv.data.catalogue.ops.internal.environment.YamlFile;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import fr.gouv.data.catalogue.ops.internal.vault.VaultFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code secrets}: an environment's encrypted secrets file. */
@Command(name = "secrets", mixinStandardHelpOptions = true, description = "View or edit an environment's secrets.",
        subcommands = {SecretsCommand.View.class, SecretsCommand.Edit.class})
final class SecretsCommand implements Runnable {
    @ParentCommand
    CatalogueOpsCommand root;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, root.session.out());
    }

    @Command(name = "view", mixinStandardHelpOptions = true, description = "Print the decrypted secrets of ENV.")
    static final class View implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws OpsException {
            Environment e = secrets.root.environment(name);
            Path file = e.existingSecretsFile();
            byte[] content = VaultFiles.read(file);
            if (!Vault.isEncrypted(content)) {
                // as env show and env check read it: shown, with the same warning
                secrets.root.session.writeOut(content);
                secrets.root.session.err().println("catalogue-ops: warning: " + notEncrypted(e));
                return Main.OK;
            }
            byte[] plain = secrets.root.vault().decrypt(content, e.show(file)).plaintext();
            secrets.root.session.writeOut(plain);
            return Main.OK;
        }
    }

    static String notEncrypted(Environment e) {
        String shown = e.show(e.secretsFile());
        return shown + ": the secrets are not encrypted; encrypt them with: catalogue-ops vault encrypt " + shown;
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Edit the secrets of ENV in $VISUAL/$EDITOR; saved re-encrypted only if changed and a valid"
                    + " YAML mapping that keeps the secrets the environment needs (--force to remove some).")
    static final class Edit implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Option(names = "--force", description = "Save even if secrets the environment needs were removed.")
        boolean force;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = secrets.root;
            Environment e = root.environment(name);
            Path file = e.existingSecretsFile();
            String shown = e.show(file);
            byte[] current = VaultFiles.read(file);
            if (!Vault.isEncrypted(current)) {
                throw new ConfigException(notEncrypted(e) + ", then edit them");
            }
            Set<String> needed = needed(root.vault().decrypt(current, shown).plaintext(), shown);
            VaultEditor.Outcome outcome = new VaultEditor(root.vault(), root.session.editor()).edit(file, null,
                    content -> checkSecrets(content, shown, needed, force),
                    problem -> root.session.confirm().ask(problem + ". Edit again?"));
            root.session.err().println(outcome == VaultEditor.Outcome.SAVED ? shown + ": saved" : shown + ": no change");
            return Main.OK;
        }

        /** The secrets a deploy needs that the file holds now; an edit that drops one needs --force. */
        private static Set<String> needed(byte[] plain, String shown) {
            try {
                Set<String> keys = new java.util.LinkedHashSet<>(
                        YamlFile.readMapping(YamlFile.text(plain, shown), shown).values().keySet());
                keys.retainAll(EnvironmentCheck.requiredSecrets());
                return keys;
            } catch (ConfigException unreadable) {
                return Set.of(); // a broken file is being repaired: nothing to compare with
            }
        }

        /**
         * Refuses what would lose the secrets: not UTF-8, not YAML, empty, {@code null} or anything
         * but a mapping, or (without --force) a mapping missing secrets the environment needs.
         */
        static void checkSecrets(byte[] content, String shown, Set<String> needed, boolean force) throws ConfigException {
            String text = YamlFile.text(content, shown);
            if (text.isBlank() || YamlFile.read(text, shown) == null) {
                throw new ConfigException(shown + ": the edited secrets are empty (" + (text.isBlank() ? "no text"
                        : "a null document") + "); saving would erase every secret");
            }
            YamlFile.Entries entries = YamlFile.readMapping(text, shown);
            List<String> removed = new ArrayList<>(needed);
            removed.removeAll(entries.values().keySet());
            if (!removed.isEmpty() && !force) {
                throw new ConfigException(shown + ": the edit removes secrets the environment needs ("
                        + String.join(", ", removed) + "); put them back, or run again with --force to remove them");
            }
        }
    }
}
