// catalogueDeployJob: a parameterized deploy job in one call, for a Jenkinsfile:
//
//   catalogueDeployJob credentialsId: 'catalogue-ssh', vaultCredentialsId: 'catalogue-vault'
//
// Parameters: ENV (the environments of the ops folder), GIT_VERSION (empty: the environment's
// git_version), ACTION (deploy or rollback). A deploy is checked first (catalogueDeploy check: true,
// the plan in the log), confirmed before the environments of confirmEnvironments (default: prod; the
// input waits outside any node), then run; the build's description says what went live
// ("prod ← v2 (1a2b3c4)"). When it fails, the job prints the releases and how to roll back.
// See catalogueDeployJob.txt for every argument.

def call(Map args = [:]) {
    Map settings = catalogueDeployJobSettings(args)
    Map chosen = null
    Map plan = null
    node(settings.node) {
        checkout scm
        List environments = catalogueEnvironments(opsDir: settings.opsDir)
        if (!environments) {
            error "catalogueDeployJob: no environment under ${settings.opsDir}/environments; create one with catalogue-ops env new"
        }
        properties([parameters([
                choice(name: 'ENV', choices: environments, description: 'The environment (from ' + settings.opsDir + '/environments)'),
                string(name: 'GIT_VERSION', defaultValue: '', trim: true,
                        description: "deploy: the tag, branch or commit (empty: the environment's git_version); rollback: the release (empty: the previous one)"),
                choice(name: 'ACTION', choices: ['deploy', 'rollback'], description: 'Deploy GIT_VERSION, or roll back to an earlier release')])])
        if (!params.ENV) {
            echo "catalogueDeployJob: the ENV, GIT_VERSION and ACTION parameters are now registered; run the job again with 'Build with Parameters'"
            return
        }
        chosen = chosenParameters(environments)
        if (chosen.action == 'deploy') {
            stage("Plan ${chosen.env}") {
                plan = catalogueDeploy(stepArguments(settings, chosen.env) + [check: true] + versionArgument(chosen))
                echo "catalogueDeployJob: ${chosen.env} would get ${plan.ref} (${shortCommit(plan.commit)}) on ${hostNames(plan).join(', ')}"
            }
        } else {
            stage("Releases of ${chosen.env}") {
                printReleases(settings, chosen.env)
            }
        }
    }
    if (chosen == null) {
        return null
    }
    if (settings.confirmEnvironments.contains(chosen.env)) {
        stage("Confirm ${chosen.env}") {
            if (chosen.action == 'deploy') {
                input message: "Deploy ${plan.ref} (${shortCommit(plan.commit)}) to ${chosen.env}?", ok: "Deploy to ${chosen.env}"
            } else {
                input message: "Roll ${chosen.env} back to ${chosen.version ?: 'the previous release'}?", ok: "Roll back ${chosen.env}"
            }
        }
    }
    Map done = null
    node(settings.node) {
        checkout scm
        try {
            if (chosen.action == 'deploy') {
                stage("Deploy ${chosen.env}") {
                    done = catalogueDeploy(stepArguments(settings, chosen.env) + versionArgument(chosen))
                }
                if (plan.commit && done.commit && done.commit != plan.commit) {
                    echo "catalogueDeployJob: ${plan.ref} moved between the plan and the deploy: deployed ${shortCommit(done.commit)}, planned ${shortCommit(plan.commit)}"
                }
                currentBuild.description = "${chosen.env} ← ${done.ref} (${shortCommit(done.commit)})"
            } else {
                stage("Roll back ${chosen.env}") {
                    Map rollback = stepArguments(settings, chosen.env)
                    rollback.remove('serial')   // a rollback switches every host at once
                    if (chosen.version) {
                        rollback.to = chosen.version
                    }
                    done = catalogueRollback(rollback)
                }
                currentBuild.description = "${chosen.env} ← ${done.ref} (${shortCommit(done.commit)}), rolled back"
            }
        } catch (failure) {
            echo "catalogueDeployJob: ${chosen.action} of ${chosen.env} failed: ${failure.message}"
            try {
                printReleases(settings, chosen.env)
            } catch (releasesFailure) {
                echo "catalogueDeployJob: the releases of ${chosen.env} could not be read: ${releasesFailure.message}"
            }
            echo "catalogueDeployJob: to roll back, run this job with ENV=${chosen.env} ACTION=rollback (GIT_VERSION empty for the" +
                    " previous release), or: catalogue-ops rollback ${chosen.env}"
            currentBuild.description = "${chosen.env}: ${chosen.action} failed"
            throw failure
        }
    }
    return done
}

// The arguments, checked: unknown names and missing credentials fail at once, with what to write.
private Map catalogueDeployJobSettings(Map args) {
    List known = ['opsDir', 'credentialsId', 'vaultCredentialsId', 'confirmEnvironments', 'node', 'limit', 'serial', 'wait']
    List unknown = (args.keySet() as List).findAll { !known.contains(it) }
    if (unknown) {
        error "catalogueDeployJob: unknown argument(s) ${unknown.sort().join(', ')}; known: ${known.join(', ')}"
    }
    for (String required : ['credentialsId', 'vaultCredentialsId']) {
        if (!(args[required] instanceof CharSequence) || !args[required].toString().trim()) {
            error "catalogueDeployJob: ${required} is required (the id of a Jenkins credential), e.g." +
                    " catalogueDeployJob credentialsId: 'catalogue-ssh', vaultCredentialsId: 'catalogue-vault'"
        }
    }
    def confirm = args.containsKey('confirmEnvironments') ? args.confirmEnvironments : ['prod']
    if (!(confirm instanceof List) || confirm.any { !(it instanceof CharSequence) }) {
        error "catalogueDeployJob: confirmEnvironments must be a list of environment names, e.g. ['prod']"
    }
    return [opsDir: args.opsDir ?: 'ops/ansible', credentialsId: args.credentialsId.toString(),
            vaultCredentialsId: args.vaultCredentialsId.toString(), confirmEnvironments: confirm.collect { it.toString() },
            node: args.node ?: '', limit: args.limit, serial: args.serial, wait: args.wait]
}

private Map chosenParameters(List environments) {
    String env = params.ENV
    if (!environments.contains(env)) {
        error "catalogueDeployJob: ENV '${env}' is not one of ${environments.join(', ')}"
    }
    String action = params.ACTION ?: 'deploy'
    if (!(action in ['deploy', 'rollback'])) {
        error "catalogueDeployJob: ACTION must be deploy or rollback (got '${action}')"
    }
    String version = params.GIT_VERSION?.toString()?.trim()
    return [env: env, action: action, version: version ?: null]
}

private Map stepArguments(Map settings, String env) {
    Map a = [env: env, opsDir: settings.opsDir, credentialsId: settings.credentialsId, vaultCredentialsId: settings.vaultCredentialsId]
    for (String optional : ['limit', 'serial', 'wait']) {
        if (settings[optional]) {
            a[optional] = settings[optional]
        }
    }
    return a
}

private Map versionArgument(Map chosen) {
    return chosen.version ? [gitVersion: chosen.version] : [:]
}

private String shortCommit(commit) {
    return commit ? commit.toString().take(7) : '?'
}

private List hostNames(Map report) {
    return (report.hosts ?: []).collect { it instanceof Map ? (it.host ?: it.name) : it }
}

// One line per release, the live one marked, newest first as catalogueReleases gives them.
private void printReleases(Map settings, String env) {
    List releases = catalogueReleases(env: env, opsDir: settings.opsDir, credentialsId: settings.credentialsId,
            vaultCredentialsId: settings.vaultCredentialsId)
    echo "catalogueDeployJob: releases of ${env} (${releases.size()}):"
    for (Map r : releases) {
        echo "  ${r.live ? '*' : ' '} ${r.id}  ${r.ref} (${shortCommit(r.commit)})  ${r.state ?: ''}${r.live ? '  live' : ''}"
    }
}
