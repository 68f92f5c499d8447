// catalogueProvisionJob: a parameterized provisioning job in one call, for a Jenkinsfile:
//
//   catalogueProvisionJob credentialsId: 'catalogue-ssh', vaultCredentialsId: 'catalogue-vault'
//
// The ENVIRONMENT parameter lists the environments of the ops folder (catalogueEnvironments). Each
// build checks first (catalogueProvision check: true, with the diff), asks for a confirmation before
// applying to the environments in confirmEnvironments (default: prod), then provisions.
// See catalogueProvisionJob.txt for every argument.

def call(Map args = [:]) {
    Map settings = catalogueProvisionJobSettings(args)
    List environments = []
    Map checked = null
    String target = null
    node(settings.node) {
        checkout scm
        environments = catalogueEnvironments(opsDir: settings.opsDir)
        if (!environments) {
            error "catalogueProvisionJob: no environment under ${settings.opsDir}/environments; create one with catalogue-ops env new"
        }
        properties([parameters([choice(name: 'ENVIRONMENT', choices: environments,
                description: 'The environment to provision (from ' + settings.opsDir + '/environments)')])])
        target = params.ENVIRONMENT
        if (!target) {
            echo "catalogueProvisionJob: the ENVIRONMENT parameter is now registered; run the job again with 'Build with Parameters'"
            return
        }
        if (!environments.contains(target)) {
            error "catalogueProvisionJob: ENVIRONMENT '${target}' is not one of ${environments.join(', ')}"
        }
        stage("Check ${target}") {
            checked = catalogueProvision(stepArguments(settings, target) + [check: true, diff: true])
            echo "catalogueProvisionJob: ${target} would change ${checked.changed} thing(s) on ${checked.hosts.size()} host(s)"
        }
    }
    if (!target) {
        return null
    }
    if (checked.changed == 0) {
        echo "catalogueProvisionJob: ${target} is already provisioned; nothing to apply"
        return checked
    }
    if (settings.confirmEnvironments.contains(target)) {
        stage("Confirm ${target}") {
            input message: "Apply these ${checked.changed} change(s) to ${target}?", ok: "Provision ${target}"
        }
    }
    Map applied = null
    node(settings.node) {
        checkout scm
        stage("Provision ${target}") {
            applied = catalogueProvision(stepArguments(settings, target))
        }
    }
    return applied
}

// The arguments, checked: unknown names and missing credentials fail at once, with what to write.
private Map catalogueProvisionJobSettings(Map args) {
    List known = ['opsDir', 'credentialsId', 'vaultCredentialsId', 'confirmEnvironments', 'node', 'tags', 'limit']
    List unknown = (args.keySet() as List).findAll { !known.contains(it) }
    if (unknown) {
        error "catalogueProvisionJob: unknown argument(s) ${unknown.sort().join(', ')}; known: ${known.join(', ')}"
    }
    for (String required : ['credentialsId', 'vaultCredentialsId']) {
        if (!(args[required] instanceof CharSequence) || !args[required].toString().trim()) {
            error "catalogueProvisionJob: ${required} is required (the id of a Jenkins credential), e.g." +
                    " catalogueProvisionJob credentialsId: 'catalogue-ssh', vaultCredentialsId: 'catalogue-vault'"
        }
    }
    def confirm = args.containsKey('confirmEnvironments') ? args.confirmEnvironments : ['prod']
    if (!(confirm instanceof List) || confirm.any { !(it instanceof CharSequence) }) {
        error "catalogueProvisionJob: confirmEnvironments must be a list of environment names, e.g. ['prod']"
    }
    return [opsDir: args.opsDir ?: 'ops/ansible', credentialsId: args.credentialsId.toString(),
            vaultCredentialsId: args.vaultCredentialsId.toString(), confirmEnvironments: confirm.collect { it.toString() },
            node: args.node ?: '', tags: args.tags, limit: args.limit]
}

private Map stepArguments(Map settings, String target) {
    Map a = [env: target, opsDir: settings.opsDir, credentialsId: settings.credentialsId,
             vaultCredentialsId: settings.vaultCredentialsId]
    if (settings.tags) {
        a.tags = settings.tags
    }
    if (settings.limit) {
        a.limit = settings.limit
    }
    return a
}
