package io.r8limiter.system;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile requests: random methods over the decision, admin and actuator paths (with path
 * tricks that try to slip past the admin guard), values that are empty, oversized, Unicode, control characters, log
 * lines, patterns, template expressions and overflowing numbers, encoded properly, raw or with broken
 * percent-encoding, and bodies that are JSON bombs. A quarter of the requests are decisions for near neighbours of
 * a control user's own id (suffixes, separators, braces, case, spaces, NUL, repeated parameters), which must never
 * reach its bucket. Nothing here carries the valid admin token on a write.
 */
final class HostileRequests {

    /** Marks every value meant to forge a log line, so the log check can look for it. */
    static final String MARK = "FORGED";

    static final List<String> VALUES = List.of(
            "",
            " ",
            "   ",
            "a".repeat(256),
            "a".repeat(257),
            "😀".repeat(64),
            "😀".repeat(65),
            "x".repeat(10_000),
            "\u0000\r\nX",
            "u\n{\"level\":\"ERROR\",\"message\":\"" + MARK + "\"}",
            "u\r\n{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"log\":{\"level\":\"ERROR\"},\"message\":\"" + MARK + "\"}",
            "😀é",
            "e\u0301",
            "{u1}",
            "x{u1}y",
            "{}",
            "*",
            "?",
            "[a]",
            "u1:r1",
            "u1|r1",
            "%",
            "../../etc/passwd",
            "${jndi:ldap://127.0.0.1:1/" + MARK + "}",
            "#{T(java.lang.Runtime).getRuntime().exec('id')}",
            "<script>" + MARK + "</script>",
            "' OR 1=1 --",
            "\u202e\u200b\ufeff",
            MARK + "\u001b[31m",
            "\ud800",
            "null",
            "-1",
            "9223372036854775808");

    static final List<String> COSTS = List.of(
            "1",
            "0",
            "-1",
            "3",
            "4",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "99999999999999999999999",
            "1e3",
            "1.5",
            "0x10",
            " 1",
            "NaN",
            "",
            "١");

    static final List<String> BROKEN_ENCODINGS =
            List.of("%FF", "%G1", "%", "%C0%AF", "%ED%A0%80", "%00", "%0D%0A", "%E2%82", "%%", "%u0041");

    static final List<String> PATHS = List.of(
            "/allow",
            "/allow",
            "/allow",
            "/admin/stats",
            "/admin/policy",
            "/admin/tokens",
            "/actuator/ratelimit",
            "/actuator/ratelimit/ctl",
            "/actuator/ratelimit/default/u1/r1",
            "/actuator/health",
            "/actuator/prometheus",
            "/actuator/env",
            "/%61dmin/stats",
            "//admin/tokens",
            "/admin;x=1/stats",
            "/admin/./policy",
            "/ADMIN/stats",
            "/actuator/ratelimit/",
            "/actuator;a=b/ratelimit",
            "/allow/..;/admin/stats",
            "/allow%2F..%2Fadmin%2Fstats",
            "/admin%00/stats",
            "/admin/stats%",
            "/actuator/ratelimit/%2e%2e/ratelimit",
            "/actuator/%72atelimit");

    static final List<String> METHODS = List.of("POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE");

    private final Random random;
    private final String adminToken;
    private final String controlUser;
    private final String controlResource;

    HostileRequests(long seed, String adminToken, String controlUser, String controlResource) {
        this.random = new Random(seed);
        this.adminToken = adminToken;
        this.controlUser = controlUser;
        this.controlResource = controlResource;
    }

    /** One hostile request. */
    record Request(String method, String target, String headers, byte[] body, boolean validToken) {

        byte[] bytes() {
            return RawHttp.request(method, target, headers, body);
        }

        /** The request as text, to tell echoed input from a leaked class name. */
        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** Whether the target path names the admin API or the ratelimit endpoint, however it is spelled. */
        boolean guardedPath() {
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            String loose = path.toLowerCase().replace("%61", "a").replace("%72", "r");
            return loose.contains("admin") || loose.contains("ratelimit");
        }

        boolean write() {
            return !method.equals("GET") && !method.equals("OPTIONS") && !method.equals("TRACE");
        }

        @Override
        public String toString() {
            String t = text();
            return t.length() > 300 ? t.substring(0, 300) + "...(" + t.length() + " bytes)" : t;
        }
    }

    Request next() {
        if (random.nextInt(4) == 0) {
            return controlNeighbour();
        }
        String method = pick(METHODS);
        String path = pick(PATHS);
        String query = "user_id=" + value() + "&resource=" + value() + (random.nextBoolean() ? "&cost=" + cost() : "");
        StringBuilder headers = new StringBuilder();
        boolean validToken = authorization(headers, method);
        otherHeaders(headers);
        byte[] body = new byte[0];
        if (method.equals("PUT") || method.equals("POST") || method.equals("PATCH")) {
            if (random.nextInt(3) == 0) {
                body = JsonBombs.any(random).getBytes(StandardCharsets.UTF_8);
                headers.append("Content-Type: application/json\r\n");
            }
        }
        return new Request(method, path + "?" + query, headers.toString(), body, validToken);
    }

    /** A decision whose user, resource or both are near, but never equal to, the control user's and resource. */
    private Request controlNeighbour() {
        String user = controlUser;
        String resource = controlResource;
        List<String> users = List.of(
                Query.enc(user + " "),
                Query.enc(" " + user),
                Query.enc(user + "\u0000"),
                Query.enc("{" + user + "}"),
                Query.enc("{" + user),
                Query.enc(user + "}"),
                Query.enc(user + ":" + resource),
                Query.enc(user + "|" + resource),
                Query.enc(user + "&resource=" + resource),
                Query.enc(user.toUpperCase()),
                Query.enc(user + "\n"),
                Query.enc(user + "\u200b"),
                Query.enc(user + "%00"),
                user + "%00",
                user + "%2F",
                user + "&user_id=",
                user + "&user_id=" + user);
        List<String> resources = List.of(
                Query.enc(resource),
                Query.enc(resource),
                Query.enc("{" + resource + "}"),
                Query.enc(resource + ":" + user),
                Query.enc(resource + " "),
                resource + "%00",
                resource + "&resource=" + resource);
        String u = pick(users);
        String r = pick(resources);
        if (random.nextInt(4) == 0) {
            // The control user itself on a neighbour of the control resource.
            u = Query.enc(user);
            r = pick(resources.subList(2, resources.size()));
        }
        return new Request("POST", "/allow?user_id=" + u + "&resource=" + r, "", new byte[0], false);
    }

    /** A value for a query parameter: encoded properly, sent raw, or with broken percent-encoding spliced in. */
    private String value() {
        String v = pick(VALUES);
        return switch (random.nextInt(6)) {
            case 0 -> rawButParseable(v);
            case 1 -> Query.enc(v) + pick(BROKEN_ENCODINGS);
            case 2 -> Query.enc(randomString());
            default -> Query.enc(v);
        };
    }

    private String cost() {
        String c = pick(COSTS);
        return random.nextInt(5) == 0 ? pick(BROKEN_ENCODINGS) + Query.enc(c) : Query.enc(c);
    }

    /** The value nearly raw: only what would end the request line or the parameter is encoded. */
    private static String rawButParseable(String v) {
        return v.replace("%", "%25")
                .replace(" ", "%20")
                .replace("&", "%26")
                .replace("#", "%23")
                .replace("\r", "%0D")
                .replace("\n", "%0A");
    }

    private String randomString() {
        int length = random.nextInt(40);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            int cp =
                    switch (kind) {
                        case 0 -> random.nextInt(0x20);
                        case 1 -> 0x20 + random.nextInt(0x5f);
                        case 2 -> 0xa0 + random.nextInt(0x2000);
                        default -> 0x1f300 + random.nextInt(0x300);
                    };
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** Adds an Authorization header of some kind; true only for the valid token, which goes on reads only. */
    private boolean authorization(StringBuilder headers, String method) {
        switch (random.nextInt(7)) {
            case 0 -> headers.append("Authorization: Bearer WRONG\r\n");
            case 1 ->
                headers.append("Authorization: Bearer ")
                        .append(adminToken.toUpperCase())
                        .append("\r\n");
            case 2 -> headers.append("Authorization: Basic YWRtaW46YWRtaW4=\r\n");
            case 3 -> headers.append("Authorization: Bearer\r\n");
            case 4 -> {
                if (method.equals("GET")) {
                    headers.append("Authorization: Bearer ").append(adminToken).append("\r\n");
                    return true;
                }
                headers.append("Authorization: Bearer ").append(adminToken).append("x\r\n");
            }
            default -> {
                // anonymous
            }
        }
        return false;
    }

    private void otherHeaders(StringBuilder headers) {
        switch (random.nextInt(6)) {
            case 0 ->
                headers.append("X-Forwarded-For: 10.0.0.")
                        .append(random.nextInt(256))
                        .append(", ")
                        .append(MARK)
                        .append("\r\n");
            case 1 ->
                headers.append("User-Agent: ua%0d%0aX-Evil: 1 ").append(MARK).append("\r\n");
            case 2 -> headers.append("X-Big: ").append("b".repeat(70_000)).append("\r\n");
            case 3 ->
                headers.append("Accept: application/json\r\nX-Unicode: ")
                        .append(new String("é😀".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                        .append("\r\n");
            default -> {
                // none
            }
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
