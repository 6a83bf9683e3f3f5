package io.r8limiter.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds query strings with every value percent-encoded as UTF-8. */
final class Query {

    private Query() {}

    static String allow(String userId, String resource) {
        return "/allow?user_id=" + enc(userId) + "&resource=" + enc(resource);
    }

    static String tokens(String userId, String resource) {
        return "/admin/tokens?user_id=" + enc(userId) + "&resource=" + enc(resource);
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
