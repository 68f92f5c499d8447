package fr.gouv.data.catalogue.ops.internal.provision;

/** URLs as they may be shown: without the user and password a clone URL can carry. */
final class Urls {
    private Urls() {
    }

    /** {@code https://user:token@host/x.git} shown as {@code https://***@host/x.git}. */
    static String withoutCredentials(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int slash = url.indexOf('/', start);
        int at = url.lastIndexOf('@', slash < 0 ? url.length() : slash);
        return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
    }
}
