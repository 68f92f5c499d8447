package fr.gouv.data.catalogue.ops.internal.doctor;

import fr.gouv.data.catalogue.ops.internal.deploy.Nginx;
import fr.gouv.data.catalogue.ops.internal.deploy.ReleaseLayout;
import fr.gouv.data.catalogue.ops.internal.deploy.Side;
import fr.gouv.data.catalogue.ops.internal.deploy.SidePorts;
import fr.gouv.data.catalogue.ops.internal.remote.Command;
import java.time.Duration;
import java.util.List;

/**
 * The one command doctor runs on a host (as root): it reads everything the checks need and
 * changes nothing (no lock taken, no file written: Python's bytecode cache is off for alembic,
 * nginx is only asked to test its files). One {@code key=value} per line; a value of several
 * lines comes as several lines with the same key. Values are arguments of the fixed script,
 * never spliced into it; curl asks the host itself, never through a proxy the environment names.
 * Pure: tests check the exact argv.
 */
public final class DoctorScript {
    /** Where the app site lives, as provision writes it. */
    public static final String APP_SITE = "/etc/nginx/sites-enabled/catalogage.conf";
    /** The port-80 site that answers ACME challenges when TLS is on. */
    public static final String ACME_SITE = "/etc/nginx/sites-enabled/acme-challenge.conf";
    /** supervisor's own log, where unexpected exits are recorded. */
    public static final String SUPERVISOR_LOG = "/var/log/supervisor/supervisord.log";
    /** The path asked on port 80 to see the ACME site answer (no such token: a 404 from the webroot). */
    public static final String ACME_PROBE_PATH = "/.well-known/acme-challenge/catalogue-ops-doctor";
    /** Lines of a program's log shown when it is down. */
    public static final int LOG_TAIL = 5;

    /** What the script needs to know about a host. */
    public record Target(ReleaseLayout layout, String appUser, String domain, boolean tls, String apiHealthPath,
                         String clientHealthPath, String loginHome, SidePorts ports) {
    }

    /**
     * The PostgreSQL server's version as the app's connection sees it: the URL read from the live
     * release's {@code .env} by Python (never on a command line), opened with the release's SQLAlchemy.
     */
    static final String POSTGRES_VERSION = "import re, sys; import sqlalchemy as sa; url = None\n"
            + "for line in open(\".env\", encoding=\"utf-8\"):\n"
            + "    if line.startswith(\"APP_DATABASE_URL=\"): url = line.split(\"=\", 1)[1].strip().strip(\"\\\"\\x27\")\n"
            + "if not url: sys.exit(\"no APP_DATABASE_URL in .env\")\n"
            + "engine = sa.create_engine(re.sub(r\"^postgresql\\+asyncpg\", \"postgresql\", url))\n"
            + "with engine.connect() as c: print(c.exec_driver_sql(\"show server_version\").scalar())\n";

    static final String SCRIPT = "w=\"$1\"; u=\"$2\"; dom=\"$3\"; tls=\"$4\"; hapi=\"$5\"; hcli=\"$6\"; home=\"$7\"; up=\"$8\";"
            + " shift 8; echo \"now=$(date +%s.%N)\";"
            + " running() { if ps -eo comm= | grep -qx \"$1\"; then echo yes; else echo no; fi; };"
            + " lines() { printf '%s\\n' \"$2\" | sed \"s/^/$1=/\"; };"
            // nginx
            + " echo \"nginx_running=$(running nginx)\"; echo \"nginx_version=$(nginx -v 2>&1 | head -n 1)\";"
            + " o=$(nginx -t 2>&1); echo \"nginx_t_rc=$?\"; lines nginx_t \"$o\";"
            + " s=" + APP_SITE + "; if [ -f \"$s\" ]; then echo site=present; grep -qF \"$up\" \"$s\" && echo site_include=yes;"
            + " grep -o 'proxy_pass [^;]*' \"$s\" | sed 's/^proxy_pass /site_proxy=/'; else echo site=missing; fi;"
            + " echo \"upstreams=$(tr '\\n' ' ' < \"$up\" 2>/dev/null)\";"
            // supervisor and the programs
            + " echo \"supervisord_running=$(running supervisord)\"; o=$(supervisorctl status 2>&1); echo \"sv_rc=$?\"; lines sv \"$o\";"
            + " for p in server-blue client-blue server-green client-green; do"
            + " echo \"restarts_$p=$(grep -c \"exited: $p .*not expected\" " + SUPERVISOR_LOG + " 2>/dev/null)\";"
            + " tail -n " + LOG_TAIL + " \"/var/log/supervisor/catalogue-$p.log\" 2>/dev/null | sed \"s/^/tail_$p=/\"; done;"
            + " i=0; for p in \"$@\"; do i=$((i + 1)); h=$(printf ':%04X' \"$p\");"
            + " awk -v h=\"$h\" '$4 == \"0A\" && substr($2, length($2) - 4) == h { f = 1 } END { exit !f }'"
            + " /proc/net/tcp /proc/net/tcp6 2>/dev/null && echo \"listen=$p\";"
            + " case $i in 1|3) path=\"$hapi\";; *) path=\"$hcli\";; esac;"
            + " echo \"health_$p=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 5 \"http://127.0.0.1:$p$path\")\"; done;"
            + " through() { if [ \"$tls\" = 1 ]; then curl --noproxy '*' -sk -o /dev/null -w '%{http_code}' --max-time 10"
            + " --resolve \"$dom:443:127.0.0.1\" \"https://$dom$1\"; else curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 10"
            + " -H \"Host: $dom\" \"http://127.0.0.1$1\"; fi; };"
            + " echo \"nginx_client=$(through /)\"; echo \"nginx_api=$(through \"/api$hapi\")\";"
            // TLS
            + " if [ \"$tls\" = 1 ]; then for d in /etc/letsencrypt/live/*/; do [ -f \"$d/cert.pem\" ] || continue;"
            + " e=$(openssl x509 -enddate -noout -in \"$d/cert.pem\" 2>/dev/null | cut -d= -f2);"
            + " echo \"cert=$(basename \"$d\")|$(date -d \"$e\" +%s 2>/dev/null)|$(openssl x509 -noout -ext subjectAltName"
            + " -in \"$d/cert.pem\" 2>/dev/null | grep -o 'DNS:[^,]*' | cut -d: -f2 | tr '\\n' ' ')\"; done;"
            + " crontab -l 2>/dev/null | grep -A1 '^#Ansible: certs_renewal' | sed 's/^/cron=/';"
            + " [ -f " + ACME_SITE + " ] && echo acme_site=present;"
            + " echo \"acme_answer=$(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' --max-time 5 -H \"Host: $dom\""
            + " \"http://127.0.0.1" + ACME_PROBE_PATH + "\")\"; fi;"
            // the deploy's state: current, manifests, leftovers, lock, audit log
            + " echo \"workdir=$([ -d \"$w\" ] && echo yes || echo no)\"; echo \"current=$(readlink \"$w/current\" 2>/dev/null)\";"
            + " for d in \"$w\"/releases/*/; do [ -f \"$d.release.json\" ] && echo \"manifest=$(tr -d '\\n' < \"$d.release.json\")\"; done;"
            + " for d in \"$w\"/releases/*.partial \"$w\"/.deploy-lock.stale.* \"$w\"/.current.new; do"
            + " [ -e \"$d\" ] && echo \"leftover=$d\"; done;"
            + " lock=\"$w/.deploy-lock\"; if [ -d \"$lock\" ]; then echo lock=held;"
            + " echo \"lock_age=$(( $(date +%s) - $(stat -c %Y \"$lock/heartbeat\" 2>/dev/null || stat -c %Y \"$lock\") ))\";"
            + " echo \"lock_json=$(tr -d '\\n' < \"$lock/lock.json\" 2>/dev/null)\"; else echo lock=free; fi;"
            + " tail -n 20 \"$w/deploy-history.jsonl\" 2>/dev/null | sed 's/^/history=/';"
            + fr.gouv.data.catalogue.ops.internal.deploy.DeployScripts.SIDE_PROGRAMS
            // migrations, in the live release, as the app's user
            + " c=\"$w/current\"; as() { if [ \"$(id -un)\" = \"$u\" ]; then \"$@\"; else runuser -u \"$u\" -- \"$@\"; fi; };"
            + " if [ -x \"$c/venv/bin/python\" ]; then for a in current heads; do"
            + " o=$(cd \"$c\" && as env PYTHONDONTWRITEBYTECODE=1 timeout 30 venv/bin/python -m alembic \"$a\" 2>&1);"
            + " echo \"alembic_${a}_rc=$?\"; lines \"alembic_$a\" \"$o\"; done;"
            + " o=$(cd \"$c\" && as env PYTHONDONTWRITEBYTECODE=1 timeout 30 venv/bin/python -c '" + POSTGRES_VERSION + "' 2>&1);"
            + " echo \"postgres_rc=$?\"; echo \"postgres=$(printf '%s\\n' \"$o\" | tail -n 1)\"; fi;"
            // runtimes
            + " echo \"node=$(node --version 2>&1 | head -n 1)\"; echo \"python3=$(python3 --version 2>&1 | head -n 1)\";"
            + " echo \"venv_python=$(\"$c/venv/bin/python\" --version 2>&1 | head -n 1)\";"
            + " ls -1 \"$home/.nvm/versions/node\" 2>/dev/null | sed 's/^/nvm_version=/';"
            + " ls -1 \"$home/.pyenv/versions\" 2>/dev/null | sed 's/^/pyenv_version=/';"
            + " echo \"pyenv_global=$(head -n 1 \"$home/.pyenv/version\" 2>/dev/null)\";"
            // host basics
            + " echo \"df_workdir=$(df -P \"$w\" 2>/dev/null | tail -n 1)\"; echo \"df_log=$(df -P /var/log 2>/dev/null | tail -n 1)\";"
            + " grep -E '^(MemTotal|MemAvailable):' /proc/meminfo | sed 's/^/mem=/'; exit 0";

    private DoctorScript() {
    }

    /** The probe: run it as root; it needs no standard input. */
    public static Command probe(Target t) {
        Side.Ports blue = t.ports().of(Side.BLUE);
        Side.Ports green = t.ports().of(Side.GREEN);
        return new Command(List.of("sh", "-c", SCRIPT, "sh", t.layout().workdir(), t.appUser(), t.domain(), t.tls() ? "1" : "0",
                t.apiHealthPath(), t.clientHealthPath(), t.loginHome(), Nginx.UPSTREAMS, String.valueOf(blue.api()),
                String.valueOf(blue.client()), String.valueOf(green.api()), String.valueOf(green.client())), null, null,
                Duration.ofSeconds(150));
    }

    /** The program names in the order the script reports them. */
    public static List<String> programs() {
        return List.of("server-blue", "client-blue", "server-green", "client-green");
    }
}
