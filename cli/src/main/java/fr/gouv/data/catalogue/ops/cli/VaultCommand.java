package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.ConfigException;
import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.vault.Vault;
import fr.gouv.data.catalogue.ops.internal.vault.VaultEditor;
import fr.gouv.data.catalogue.ops.internal.vault.VaultFiles;
import fr.gouv.data.catalogue.ops.internal.vault.VaultSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code vault}: ansible-vault's file commands, with its flags and defaults. */
@Command(name = "vault", mixinStandardHelpOptions = true,
        description = "Ansible Vault files: encrypt, decrypt, view, edit, rekey, encrypt-string (byte-compatible with ansible-vault).",
        subcommands = {VaultCommand.Encrypt.class, VaultCommand.Decrypt.class, VaultCommand.View.class,
                VaultCommand.Edit.class, VaultCommand.Rekey.class, VaultCommand.EncryptString.class})
final class VaultCommand implements Runnable {
    @ParentCommand
    CatalogueOpsCommand root;

    @Override
    public void run() {
        picocli.CommandLine.usage(this, root.session.out());
    }

    /** Reads a file, or standard input for "-". */
    byte[] read(String file) throws OpsException {
        if (file.equals("-")) {
            try {
                return root.session.in().readAllBytes();
            } catch (IOException e) {
                throw new OpsException("cannot read standard input: " + e.getMessage());
            }
        }
        return VaultFiles.read(root.session.resolve(file));
    }

    /** Writes each output only after every input was processed, so one bad file changes nothing. */
    void writeAll(Map<String, byte[]> outputs) throws OpsException {
        for (String target : outputs.keySet()) {
            if (!target.equals("-")) {
                VaultFiles.checkWritable(root.session.resolve(target));
            }
        }
        for (Map.Entry<String, byte[]> e : outputs.entrySet()) {
            if (e.getKey().equals("-")) {
                root.session.writeOut(e.getValue());
            } else {
                VaultFiles.write(root.session.resolve(e.getKey()), e.getValue());
            }
        }
    }

    static List<String> inputs(List<String> files, String output) throws ConfigException {
        List<String> in = files == null || files.isEmpty() ? List.of("-") : files;
        if (output != null && in.size() > 1) {
            throw new ConfigException("--output takes one input file, " + in.size() + " were given");
        }
        return in;
    }

    static String target(String input, String output) {
        return output != null ? output : input;
    }

    abstract static class FileCommand {
        @ParentCommand
        VaultCommand vault;

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of in place; '-' for stdout.")
        String output;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to process ('-' or none: stdin to stdout).")
        List<String> files = new ArrayList<>();
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true, description = "Encrypt files in place.")
    static final class Encrypt extends FileCommand implements Callable<Integer> {
        @Option(names = "--encrypt-vault-id", paramLabel = "LABEL", description = "The vault id to encrypt with.")
        String encryptVaultId;

        @Override
        public Integer call() throws OpsException {
            Vault v = vault.root.vault();
            VaultSecret secret = v.encryptionSecret(encryptVaultId);
            Map<String, byte[]> outputs = new LinkedHashMap<>();
            for (String in : inputs(files, output)) {
                byte[] plain = vault.read(in);
                if (Vault.isEncrypted(plain)) {
                    throw new fr.gouv.data.catalogue.ops.internal.vault.VaultException(in
                            + " is already vault-encrypted; use 'vault rekey' to change its password");
                }
                outputs.put(target(in, output), v.encrypt(plain, secret));
            }
            vault.writeAll(outputs);
            vault.root.session.err().println("Encryption successful");
            return Main.OK;
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true, description = "Decrypt files in place.")
    static final class Decrypt extends FileCommand implements Callable<Integer> {
        @Override
        public Integer call() throws OpsException {
            Vault v = vault.root.vault();
            Map<String, byte[]> outputs = new LinkedHashMap<>();
            for (String in : inputs(files, output)) {
                outputs.put(target(in, output), v.decrypt(vault.read(in), in.equals("-") ? "stdin" : in).plaintext());
            }
            vault.writeAll(outputs);
            vault.root.session.err().println("Decryption successful");
            return Main.OK;
        }
    }

    @Command(name = "view", mixinStandardHelpOptions = true, description = "Print decrypted files.")
    static final class View implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to show.")
        List<String> files;

        @Override
        public Integer call() throws OpsException {
            Vault v = vault.root.vault();
            List<byte[]> shown = new ArrayList<>();
            for (String in : files) {
                shown.add(v.decrypt(vault.read(in), in).plaintext());
            }
            for (byte[] plain : shown) {
                vault.root.session.writeOut(plain);
            }
            return Main.OK;
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Edit a vault file in $VISUAL/$EDITOR; re-encrypted only if changed.")
    static final class Edit implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Parameters(index = "0", paramLabel = "FILE", description = "The vault file.")
        String file;

        @Option(names = "--encrypt-vault-id", paramLabel = "LABEL", description = "The vault id to re-encrypt with.")
        String encryptVaultId;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = vault.root;
            VaultEditor.Outcome outcome = new VaultEditor(root.vault(), root.session.editor())
                    .edit(root.session.resolve(file), encryptVaultId, null, null);
            root.session.err().println(outcome == VaultEditor.Outcome.SAVED ? file + ": saved" : file + ": no change");
            return Main.OK;
        }
    }

    @Command(name = "rekey", mixinStandardHelpOptions = true, description = "Re-encrypt files with a new password.")
    static final class Rekey implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to rekey.")
        List<String> files;

        @Option(names = "--new-vault-password-file", paramLabel = "FILE", description = "The new password file.")
        String newPasswordFile;

        @Option(names = "--new-vault-id", paramLabel = "[LABEL@]FILE", description = "The new vault id.")
        String newVaultId;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = vault.root;
            List<String> ids = newVaultId == null ? List.of() : List.of(newVaultId);
            List<String> newFiles = newPasswordFile == null ? List.of() : List.of(newPasswordFile);
            List<VaultSecret> fresh = root.secrets(ids, newFiles, false, false);
            if (fresh.isEmpty()) {
                throw new ConfigException("rekey needs the new password: --new-vault-password-file FILE or --new-vault-id [LABEL@]FILE");
            }
            if (fresh.size() > 1) {
                throw new ConfigException("give only one of --new-vault-password-file and --new-vault-id");
            }
            VaultFiles vaultFiles = new VaultFiles(root.vault());
            Map<String, byte[]> outputs = new LinkedHashMap<>();
            for (String f : files) {
                outputs.put(f, vaultFiles.rekey(root.session.resolve(f), fresh.get(0)));
            }
            vault.writeAll(outputs);
            root.session.err().println("Rekey successful");
            return Main.OK;
        }
    }

    @Command(name = "encrypt-string", aliases = "encrypt_string", mixinStandardHelpOptions = true,
            description = "Encrypt strings for inline use in YAML (!vault). Reads stdin when no string is given.")
    static final class EncryptString implements Callable<Integer> {
        @ParentCommand
        VaultCommand vault;

        @Parameters(paramLabel = "STRING", arity = "0..*", description = "Strings to encrypt.")
        List<String> strings = new ArrayList<>();

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Variable name for each string, in order.")
        List<String> names = new ArrayList<>();

        @Option(names = "--stdin-name", paramLabel = "NAME", description = "Variable name for the string read from stdin.")
        String stdinName;

        @Option(names = "--encrypt-vault-id", paramLabel = "LABEL", description = "The vault id to encrypt with.")
        String encryptVaultId;

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of stdout.")
        String output;

        @Override
        public Integer call() throws OpsException {
            CatalogueOpsCommand root = vault.root;
            if (names.size() > Math.max(strings.size(), 1)) {
                throw new ConfigException("more --name options (" + names.size() + ") than strings (" + strings.size() + ")");
            }
            Vault v = root.vault();
            VaultSecret secret = v.encryptionSecret(encryptVaultId);
            List<String> blocks = new ArrayList<>();
            if (strings.isEmpty()) {
                root.session.err().println("Reading plaintext input from stdin. (ctrl-d to end input)");
                byte[] plain = vault.read("-");
                if (plain.length == 0) {
                    throw new ConfigException("stdin was empty: nothing to encrypt");
                }
                blocks.add(Vault.formatInline(v.encrypt(plain, secret), stdinName != null ? stdinName
                        : names.isEmpty() ? null : names.get(0)));
            } else {
                for (int i = 0; i < strings.size(); i++) {
                    if (strings.get(i).isEmpty()) {
                        throw new ConfigException("the string to encrypt is empty (argument " + (i + 1)
                                + "); give the value to encrypt, as ansible-vault requires");
                    }
                }
                for (int i = 0; i < strings.size(); i++) {
                    byte[] plain = strings.get(i).getBytes(StandardCharsets.UTF_8);
                    blocks.add(Vault.formatInline(v.encrypt(plain, secret), i < names.size() ? names.get(i) : null));
                }
            }
            String text = String.join("\n", blocks) + "\n";
            Map<String, byte[]> out = new LinkedHashMap<>();
            out.put(output == null ? "-" : output, text.getBytes(StandardCharsets.UTF_8));
            vault.writeAll(out);
            root.session.err().println("Encryption successful");
            return Main.OK;
        }
    }

}
