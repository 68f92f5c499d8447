package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.environment.Environment;
import fr.gouv.data.catalogue.ops.internal.environment.YamlFile;
import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import fr.gouv.data.catalogue.ops.internal.vault.VaultFiles;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
            byte[] plain = secrets.root.vault().decrypt(VaultFiles.read(e.secretsFile()), e.show(e.secretsFile())).plaintext();
            secrets.root.session.writeOut(plain);
            return Main.OK;
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Edit the secrets of ENV in $VISUAL/$EDITOR; saved re-encrypted only if changed and valid YAML.")
    static final class Edit implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Parameters(index = "0", paramLabel = "ENV", description = "The environment.")
        String name;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = secrets.root;
            Environment e = root.environment(name);
            String shown = e.show(e.secretsFile());
            VaultEditor.Outcome outcome = new VaultEditor(root.vault(), root.session.editor()).edit(e.secretsFile(), null,
                    content -> checkSecrets(content, shown),
                    problem -> root.session.confirm().ask(problem + ". Edit again?"));
            root.session.err().println(outcome == VaultEditor.Outcome.SAVED ? shown + ": saved" : shown + ": no change");
            return Main.OK;
        }

        private static void checkSecrets(byte[] content, String shown) throws ConfigException {
            YamlFile.readMapping(new String(content, StandardCharsets.UTF_8), shown);
        }
    }
}
