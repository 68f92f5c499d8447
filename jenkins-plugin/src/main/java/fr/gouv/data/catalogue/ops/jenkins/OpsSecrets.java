package fr.gouv.data.catalogue.ops.jenkins;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The credentials' values a step's work needs, looked up on the controller for the build and
 * carried to the node that holds the workspace in memory only (never written to a file there).
 * {@link #wipe()} blanks them when the work ends.
 */
final class OpsSecrets implements Serializable {
    private static final long serialVersionUID = 1L;

    private char[] vaultPassword;
    private char[] sshKey;
    private char[] sshPassphrase;
    private char[] gitToken;

    /** The vault password (from a secret text or secret file credential), or null. */
    char[] vaultPassword() {
        return vaultPassword;
    }

    OpsSecrets vaultPassword(char[] password) {
        this.vaultPassword = password;
        return this;
    }

    /** The SSH private key (PEM or OpenSSH text), or null. */
    char[] sshKey() {
        return sshKey;
    }

    /** The key's passphrase, or null. */
    char[] sshPassphrase() {
        return sshPassphrase;
    }

    OpsSecrets sshKey(char[] key, char[] passphrase) {
        this.sshKey = key;
        this.sshPassphrase = passphrase;
        return this;
    }

    /** A token for an HTTPS git remote, or null. */
    char[] gitToken() {
        return gitToken;
    }

    OpsSecrets gitToken(char[] token) {
        this.gitToken = token;
        return this;
    }

    /** Every value held, to mask them in the build log before anything is written there. */
    List<String> values() {
        List<String> all = new ArrayList<>();
        for (char[] v : new char[][] {vaultPassword, sshKey, sshPassphrase, gitToken}) {
            if (v != null) {
                all.add(new String(v));
            }
        }
        return all;
    }

    /** Blanks every value and forgets it. */
    void wipe() {
        for (char[] v : new char[][] {vaultPassword, sshKey, sshPassphrase, gitToken}) {
            if (v != null) {
                Arrays.fill(v, '\0');
            }
        }
        vaultPassword = null;
        sshKey = null;
        sshPassphrase = null;
        gitToken = null;
    }
}
