// catalogueStagingPreviewJob: a branch on staging in one job, for a Jenkinsfile:
//
//   catalogueStagingPreviewJob credentialsId: 'catalogue-ssh', vaultCredentialsId: 'catalogue-vault'
//
// Parameters: BRANCH (the branch to preview) and SYNC (recreate staging from master first). Merges
// BRANCH into staging and pushes it (catalogueStaging action: 'merge'), then deploys the merged
// commit to the staging environment. A conflict, or a branch whose commits were rewritten, stops
// the job with the staging step's explanation, before anything is deployed.
// See catalogueStagingPreviewJob.txt for every argument.

def call(Map args = [:]) {
    Map settings = catalogueStagingPreviewJobSettings(args)
    Map deployed = null
    node(settings.node) {
        checkout scm
        properties([parameters([
                string(name: 'BRANCH', defaultValue: '', trim: true, description: 'The branch to merge into staging and deploy'),
                booleanParam(name: 'SYNC', defaultValue: false,
                        description: 'First recreate staging from ' + settings.from + ' (the branches merged into it since are dropped)')])])
        String branch = params.BRANCH?.toString()?.trim()
        if (!branch) {
            echo "catalogueStagingPreviewJob: the BRANCH and SYNC parameters are now registered; run the job with 'Build with Parameters' and a BRANCH"
            return
        }
        if (params.SYNC) {
            stage("Recreate staging from ${settings.from}") {
                Map synced = staging(settings, [action: 'sync', from: settings.from], "recreate staging from ${settings.from}")
                if (synced.lost_branches) {
                    echo "catalogueStagingPreviewJob: staging no longer holds ${synced.lost_branches.join(', ')}"
                }
            }
        }
        Map merged = null
        stage("Merge ${branch} into staging") {
            merged = staging(settings, [action: 'merge', branch: branch], "merge ${branch} into staging")
        }
        stage("Deploy ${settings.env}") {
            Map a = [env: settings.env, gitVersion: merged.after, opsDir: settings.opsDir, credentialsId: settings.credentialsId,
                     vaultCredentialsId: settings.vaultCredentialsId]
            deployed = catalogueDeploy(a)
        }
        currentBuild.description = "${settings.env} ← ${branch} (${merged.after.toString().take(7)})"
    }
    return deployed
}

// The staging step, pushed; its refusal (a conflict, rewritten commits) ends the job with its own explanation.
private Map staging(Map settings, Map what, String doing) {
    Map a = what + [repo: settings.repo, push: true]
    if (settings.gitCredentialsId) {
        a.gitCredentialsId = settings.gitCredentialsId
    }
    try {
        return catalogueStaging(a)
    } catch (failure) {
        currentBuild.description = "could not ${doing}"
        error "catalogueStagingPreviewJob: could not ${doing}, nothing was deployed. ${failure.message}"
    }
}

private Map catalogueStagingPreviewJobSettings(Map args) {
    List known = ['opsDir', 'credentialsId', 'vaultCredentialsId', 'gitCredentialsId', 'env', 'from', 'repo', 'node']
    List unknown = (args.keySet() as List).findAll { !known.contains(it) }
    if (unknown) {
        error "catalogueStagingPreviewJob: unknown argument(s) ${unknown.sort().join(', ')}; known: ${known.join(', ')}"
    }
    for (String required : ['credentialsId', 'vaultCredentialsId']) {
        if (!(args[required] instanceof CharSequence) || !args[required].toString().trim()) {
            error "catalogueStagingPreviewJob: ${required} is required (the id of a Jenkins credential), e.g." +
                    " catalogueStagingPreviewJob credentialsId: 'catalogue-ssh', vaultCredentialsId: 'catalogue-vault'"
        }
    }
    return [opsDir: args.opsDir ?: 'ops/ansible', credentialsId: args.credentialsId.toString(),
            vaultCredentialsId: args.vaultCredentialsId.toString(), gitCredentialsId: args.gitCredentialsId,
            env: args.env ?: 'staging', from: args.from ?: 'master', repo: args.repo ?: '.', node: args.node ?: '']
}
