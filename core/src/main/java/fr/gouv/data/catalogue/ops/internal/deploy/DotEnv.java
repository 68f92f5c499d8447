package fr.gouv.data.catalogue.ops.internal.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The release's {@code .env}: exactly the keys of the original playbook, with the ports of the
 * side the release starts on. Written through an upload (mode 0600, owned by the app's user),
 * never through a command line.
 */
public final class DotEnv {
    private DotEnv() {
    }

    /** The values, by variable name: secret_key, client_url, database_url, ... (missing ones empty). */
    public static String render(Map<String, String> vars, Side.Ports ports) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("APP_SECRET_KEY", quoted(vars.get("secret_key")));
        lines.put("APP_SERVER_MODE", "live");
        lines.put("APP_CLIENT_URL", quoted(vars.get("client_url")));
        lines.put("APP_DATABASE_URL", quoted(vars.get("database_url")));
        lines.put("APP_DATAPASS_URL", quoted(vars.get("datapass_url")));
        lines.put("APP_DATAPASS_CLIENT_ID", quoted(vars.get("datapass_client_id")));
        lines.put("APP_DATAPASS_CLIENT_SECRET", quoted(vars.get("datapass_client_secret")));
        lines.put("APP_PORT", String.valueOf(ports.api()));
        lines.put("APP_SENTRY_DSN", quoted(vars.get("sentry_dsn")));
        lines.put("APP_CONFIG_REPO_API_KEY", quoted(vars.get("config_repo_api_key")));
        lines.put("TOOLS_PASSWORDS", quoted(vars.get("passwords")));
        lines.put("VITE_SERVER_MODE", "live");
        lines.put("VITE_API_BROWSER_URL", "\"/api\"");
        lines.put("VITE_API_SSR_URL", "\"http://localhost:" + ports.api() + "\"");
        StringBuilder out = new StringBuilder();
        lines.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private static String quoted(String value) {
        String v = value == null ? "" : value.replace("\n", " ");
        return "'" + v + "'";
    }
}
