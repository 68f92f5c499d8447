package fr.gouv.data.catalogue.ops.cli;

import fr.gouv.data.catalogue.ops.internal.keys.RandomKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code secretkey} and {@code apikey}, the Makefile's key generators. */
final class KeyCommands {
    private KeyCommands() {
    }

    @Command(name = "secretkey", mixinStandardHelpOptions = true,
            description = "Print a new secret_key: 50 characters drawn uniformly with a cryptographic RNG.")
    static final class SecretKey implements Runnable {
        @ParentCommand
        CatalogueOpsCommand root;

        @Override
        public void run() {
            root.session.out().println(new RandomKeys().secretKey());
        }
    }

    @Command(name = "apikey", mixinStandardHelpOptions = true,
            description = "Print a new API key (config_repo_api_key): 32 random bytes as 64 hex characters.")
    static final class ApiKey implements Runnable {
        @ParentCommand
        CatalogueOpsCommand root;

        @Override
        public void run() {
            root.session.out().println(new RandomKeys().apiKey());
        }
    }
}
