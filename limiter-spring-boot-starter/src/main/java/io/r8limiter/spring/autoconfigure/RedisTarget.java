package io.r8limiter.spring.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;

/**
 * Where the Redis backend connects, read from Spring Boot's {@code spring.data.redis.*} settings or from its
 * connection details: one server, a Sentinel-monitored master, or a cluster.
 *
 * @param mode the kind of deployment
 * @param nodes the server (standalone), the sentinels, or the cluster's seed nodes
 * @param master the monitored master's name (Sentinel only)
 * @param database the database index (not used by clusters)
 * @param username the ACL user, if any
 * @param password the password, if any
 * @param sentinelUsername the sentinels' own user, if any
 * @param sentinelPassword the sentinels' own password, if any
 * @param ssl whether to connect with TLS
 * @param sslBundle the SSL bundle whose trust material, protocols and ciphers TLS uses; the JVM's defaults when
 *     {@code null}
 */
record RedisTarget(
        Mode mode,
        List<Node> nodes,
        @Nullable String master,
        int database,
        @Nullable String username,
        @Nullable String password,
        @Nullable String sentinelUsername,
        @Nullable String sentinelPassword,
        boolean ssl,
        @Nullable SslBundle sslBundle) {

    /** The kinds of Redis deployment. */
    enum Mode {
        STANDALONE,
        SENTINEL,
        CLUSTER
    }

    /** One address. */
    record Node(String host, int port) {

        /** Parses {@code host:port} or {@code [v6]:port}, as Spring Boot's node lists are written. */
        static Node parse(String property, String value) {
            String trimmed = value.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException(property + " must hold host:port entries but had '" + value + "'");
            }
            String host = trimmed.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new Node(host, Integer.parseInt(trimmed.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " has a bad port in '" + value + "'", e);
            }
        }

        static List<Node> parseAll(String property, List<String> values) {
            List<Node> nodes = new ArrayList<>();
            for (String value : values) {
                nodes.add(parse(property, value));
            }
            return nodes;
        }
    }

    /** The parts of a {@code redis://} or {@code rediss://} URL. */
    record Url(Node node, @Nullable String username, @Nullable String password, int database, boolean ssl) {

        static Url parse(String url) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("spring.data.redis.url is malformed: '" + url + "'", e);
            }
            String scheme = uri.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw new IllegalArgumentException(
                        "spring.data.redis.url must start with redis:// or rediss:// but was '" + url + "'");
            }
            String user = null;
            String password = null;
            if (uri.getUserInfo() != null) {
                String info = uri.getUserInfo();
                int colon = info.indexOf(':');
                user = colon < 0 ? null : emptyToNull(info.substring(0, colon));
                password = colon < 0 ? info : info.substring(colon + 1);
            }
            String path = uri.getPath();
            int database = path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
            int port = uri.getPort() > 0 ? uri.getPort() : 6379;
            return new Url(new Node(uri.getHost(), port), user, password, database, "rediss".equals(scheme));
        }

        private static @Nullable String emptyToNull(String s) {
            return s.isEmpty() ? null : s;
        }
    }
}
