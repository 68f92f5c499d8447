package fr.gouv.data.catalogue.ops.internal.provision;

import fr.gouv.data.catalogue.ops.OpsException;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import fr.gouv.data.catalogue.ops.internal.task.HostContext;
import fr.gouv.data.catalogue.ops.internal.task.Packages;
import fr.gouv.data.catalogue.ops.internal.task.PerHost;
import fr.gouv.data.catalogue.ops.internal.task.Task;
import fr.gouv.data.catalogue.ops.internal.task.TaskFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Python and Node runtimes. {@code python_runtime: pyenv} (the default, as the original):
 * pyenv cloned into {@code ~/.pyenv}, its {@code .pyenvrc} sourced from {@code ~/.bashrc}, then
 * {@code pyenv install pyenv_python_version} made global. {@code node_runtime: nvm} (the default):
 * nvm cloned into {@code ~/.nvm}, {@code nvm install nvm_node_version}, node and npm linked into
 * {@code /usr/local/bin}. {@code system}: Debian's packages. Where the internet is out of reach,
 * {@code pyenv_git_url}/{@code nvm_git_url} name other clones and {@code python_build_mirror_url}
 * and {@code nvm_nodejs_org_mirror} the mirrors pyenv and nvm read
 * ({@code PYTHON_BUILD_MIRROR_URL}, {@code NVM_NODEJS_ORG_MIRROR}).
 */
final class Runtimes {
    static final List<String> PYTHON_CHOICES = List.of("pyenv", "system");
    static final List<String> NODE_CHOICES = List.of("nvm", "system");
    static final String PYENV_GIT_URL = "https://github.com/pyenv/pyenv.git";
    static final String PYENV_GIT_VERSION = "v2.2.3";
    static final String NVM_GIT_URL = "https://github.com/nvm-sh/nvm.git";
    static final String NVM_GIT_VERSION = "v0.39.1";
    /** What CPython needs to build on Debian (pyenv's documented list); {@code pyenv_build_packages} replaces it. */
    static final List<String> PYENV_BUILD_PACKAGES = List.of("make", "build-essential", "libssl-dev", "zlib1g-dev",
            "libbz2-dev", "libreadline-dev", "libsqlite3-dev", "wget", "curl", "llvm", "libncursesw5-dev", "xz-utils", "tk-dev",
            "libxml2-dev", "libxmlsec1-dev", "libffi-dev", "liblzma-dev", "git", "ca-certificates");
    static final String PYENVRC = """
            export PYENV_ROOT="$HOME/.pyenv"
            export PATH="$PYENV_ROOT/bin:$PATH"
            eval "$(pyenv init --path)"
            eval "$(pyenv init -)"
            """;
    static final ManagedBlock PYENV_BLOCK = new ManagedBlock("pyenv", ". \"$HOME/.pyenv/.pyenvrc\"\n");
    static final ManagedBlock NVM_BLOCK = new ManagedBlock("nvm",
            "export NVM_DIR=\"$HOME/.nvm\"\n[ -s \"$NVM_DIR/nvm.sh\" ] && \\. \"$NVM_DIR/nvm.sh\"\n");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Duration BUILD_TIME = Duration.ofMinutes(60);

    private Runtimes() {
    }

    static List<Task> python(Set<String> tags) {
        List<Task> pyenv = List.of(
                buildPackages(tags),
                new HomeInstall("pyenv (clone)", ".pyenv/bin/pyenv", (home, host) -> clone(home + "/.pyenv",
                        setting(host, "pyenv_git_url", PYENV_GIT_URL), setting(host, "pyenv_git_version", PYENV_GIT_VERSION)),
                        Duration.ofMinutes(10), tags),
                new HomeFile("pyenv (.pyenvrc)", ".pyenv/.pyenvrc", any -> PYENVRC, tags),
                new HomeFile("pyenv (.bashrc)", ".bashrc", PYENV_BLOCK::applyTo, tags),
                versioned("pyenv_python_version", v -> new HomeInstall("python (pyenv install)",
                        ".pyenv/versions/" + v + "/bin/python", (home, host) -> new HomeInstall.Step("pyenv install "
                        + v, pyenvInstallCommand(home, v, optional(host, "python_build_mirror_url"))), BUILD_TIME, tags)),
                versioned("pyenv_python_version", v -> new HomeFile("pyenv global", ".pyenv/version", any -> v + "\n", tags)));
        List<Task> tasks = new ArrayList<>();
        tasks.add(new RuntimeChoice("python_runtime", "system", PYTHON_CHOICES,
                new Packages("python runtime (Debian)", List.of("python3", "python3-venv", "python3-pip"), false, tags)));
        pyenv.forEach(t -> tasks.add(new RuntimeChoice("python_runtime", "pyenv", PYTHON_CHOICES, t)));
        return tasks;
    }

    static List<Task> node(Set<String> tags) {
        List<Task> nvm = List.of(
                new HomeInstall("nvm (clone)", ".nvm/nvm.sh", (home, host) -> clone(home + "/.nvm",
                        setting(host, "nvm_git_url", NVM_GIT_URL), setting(host, "nvm_git_version", NVM_GIT_VERSION)),
                        Duration.ofMinutes(10), tags),
                new HomeFile("nvm (.bashrc)", ".bashrc", NVM_BLOCK::applyTo, tags),
                versioned("nvm_node_version", v -> new HomeInstall("node (nvm install)",
                        ".nvm/versions/node/" + nodeDir(v) + "/bin/node", (home, host) -> new HomeInstall.Step("nvm install " + v,
                        nvmInstallCommand(home, v, optional(host, "nvm_nodejs_org_mirror"))), BUILD_TIME, tags)),
                versioned("nvm_node_version", v -> new Symlink("node and npm in /usr/local/bin", host -> nodeLinks(
                        host.loginHome(), v), tags)));
        List<Task> tasks = new ArrayList<>();
        tasks.add(new RuntimeChoice("node_runtime", "system", NODE_CHOICES,
                new Packages("node runtime (Debian)", List.of("nodejs", "npm"), false, tags)));
        nvm.forEach(t -> tasks.add(new RuntimeChoice("node_runtime", "nvm", NODE_CHOICES, t)));
        return tasks;
    }

    static HomeInstall.Step clone(String dir, String url, String version) {
        return new HomeInstall.Step("clone " + Urls.withoutCredentials(url) + " at " + version + " into " + dir,
                cloneCommand(dir, url, version));
    }

    /** A fresh clone of {@code version} (a tag or branch) at {@code dir}, made beside it and renamed into place. */
    static Command cloneCommand(String dir, String url, String version) {
        return Command.of("sh", "-c", "set -e; [ ! -e \"$1\" ] || { echo \"$1 exists but is not a complete clone; move it"
                + " away and provision again\" >&2; exit 1; }; rm -rf \"$1.partial\"; git clone --quiet --depth 1 --branch \"$2\""
                + " -- \"$3\" \"$1.partial\"; mv \"$1.partial\" \"$1\"", "sh", dir, version, url);
    }

    static Command pyenvInstallCommand(String home, String version, String mirror) {
        List<String> argv = new ArrayList<>(List.of("env", "PYENV_ROOT=" + home + "/.pyenv"));
        if (mirror != null) {
            argv.add("PYTHON_BUILD_MIRROR_URL=" + mirror);
        }
        argv.addAll(List.of(home + "/.pyenv/bin/pyenv", "install", "--skip-existing", version));
        return new Command(argv, null, null, BUILD_TIME);
    }

    static Command nvmInstallCommand(String home, String version, String mirror) {
        List<String> argv = new ArrayList<>(List.of("env", "NVM_DIR=" + home + "/.nvm"));
        if (mirror != null) {
            argv.add("NVM_NODEJS_ORG_MIRROR=" + mirror);
        }
        argv.addAll(List.of("bash", "-c", ". \"$NVM_DIR/nvm.sh\" && nvm install \"$1\"", "bash", version));
        return new Command(argv, null, null, BUILD_TIME);
    }

    static Map<String, String> nodeLinks(String home, String version) {
        String bin = home + "/.nvm/versions/node/" + nodeDir(version) + "/bin/";
        Map<String, String> links = new LinkedHashMap<>();
        links.put("/usr/local/bin/node", bin + "node");
        links.put("/usr/local/bin/npm", bin + "npm");
        return links;
    }

    /** nvm's folder for a version: {@code 16.15.1} and {@code v16.15.1} both live in {@code v16.15.1}. */
    static String nodeDir(String version) {
        return version.startsWith("v") ? version : "v" + version;
    }

    static String setting(HostContext host, String name, String fallback) throws OpsException {
        String value = optional(host, name);
        return value == null ? fallback : value;
    }

    static String optional(HostContext host, String name) throws OpsException {
        if (!host.variables().isDefined(name)) {
            return null;
        }
        String value = host.variables().getString(name).strip();
        return value.isEmpty() ? null : value;
    }

    /** A task for the version a variable names, checked to be a plain version (it becomes part of paths). */
    static Task versioned(String variable, Function<String, Task> forVersion) {
        Task shape = forVersion.apply("0");
        return new PerHost(shape.name(), shape.tags(), host -> {
            String v = host.variables().getString(variable).strip();
            if (!VERSION.matcher(v).matches()) {
                throw new TaskFailure(variable + ": '" + v + "' is not a version (letters, digits, '.', '-', '+'); fix it in"
                        + " group_vars");
            }
            return forVersion.apply(v);
        });
    }

    /** pyenv's build dependencies, or the list {@code pyenv_build_packages} gives. */
    static Task buildPackages(Set<String> tags) {
        String name = "pyenv build dependencies";
        return new PerHost(name, tags, host -> {
            List<String> names = PYENV_BUILD_PACKAGES;
            if (host.variables().isDefined("pyenv_build_packages")) {
                Object value = host.variables().get("pyenv_build_packages");
                names = value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(value).split("[,\\s]+"));
            }
            return new Packages(name, names, false, tags);
        });
    }
}
