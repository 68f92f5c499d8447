package fr.gouv.data.catalogue.ops.jenkins;

import fr.gouv.data.catalogue.ops.internal.environment.EnvironmentCatalogue;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every catalogue step takes: where the ops folder is in the workspace, the SSH key for the
 * hosts and the vault password, both as Jenkins credentials ids.
 */
abstract class OpsStep extends Step {
    private String opsDir = EnvironmentCatalogue.DEFAULT_OPS_DIR;
    private String credentialsId;
    private String vaultCredentialsId;

    public String getOpsDir() {
        return opsDir;
    }

    /** The ops folder, relative to the workspace (default {@code ops/ansible}). */
    @DataBoundSetter
    public void setOpsDir(String opsDir) {
        this.opsDir = opsDir == null || opsDir.isBlank() ? EnvironmentCatalogue.DEFAULT_OPS_DIR : opsDir.strip();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** An "SSH Username with private key" credential for the hosts (default: the inventory's key files). */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = blankToNull(credentialsId);
    }

    public String getVaultCredentialsId() {
        return vaultCredentialsId;
    }

    /** A secret text or secret file credential holding the vault password. */
    @DataBoundSetter
    public void setVaultCredentialsId(String vaultCredentialsId) {
        this.vaultCredentialsId = blankToNull(vaultCredentialsId);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
