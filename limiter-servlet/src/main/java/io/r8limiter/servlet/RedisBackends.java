package io.r8limiter.servlet;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/** Builds a Redis backend, and the Jedis client it owns, from the filter's init-params. */
final class RedisBackends {

    private RedisBackends() {}

    /** The backend; the client it creates is closed again when a later step fails. */
    static RateLimitBackend create(FilterSettings s) {
        UnifiedJedis jedis = client(s);
        try {
            RedisBackend backend = RedisBackend.builder()
                    .jedis(jedis)
                    .keyPrefix(s.keyPrefix)
                    .failureMode(s.failureMode)
                    .build();
            return new Owning(backend, jedis);
        } catch (RuntimeException | LinkageError e) {
            jedis.close();
            throw e;
        }
    }

    private static UnifiedJedis client(FilterSettings s) {
        if (s.redisUrl != null) {
            return standalone(s, s.redisUrl.trim());
        }
        JedisClientConfig config = config(s.redisTimeout, s.redisUser, s.redisPassword, 0, false);
        if (!s.redisSentinels.isEmpty()) {
            return sentineled(s, config);
        }
        Set<HostAndPort> nodes = hosts("redis-cluster-nodes", s.redisClusterNodes);
        try {
            return new JedisCluster(
                    nodes, config, 2, s.redisTimeout.multipliedBy(2), RedisClients.pool(s.redisTimeout));
        } catch (JedisException e) {
            throw unreachable("redis-cluster-nodes", "no node of " + list(nodes) + " gave the slot map", s, e);
        }
    }

    /** A Sentinel client: it must find the master through a Sentinel at once, so none answering fails here. */
    private static UnifiedJedis sentineled(FilterSettings s, JedisClientConfig config) {
        Set<HostAndPort> sentinels = hosts("redis-sentinels", s.redisSentinels);
        JedisClientConfig sentinelConfig = config(s.redisTimeout, null, null, 0, false);
        try {
            return new JedisSentineled(
                    s.redisSentinelMaster, config, RedisClients.pool(s.redisTimeout), sentinels, sentinelConfig);
        } catch (JedisException e) {
            String what = "no Sentinel of " + list(sentinels) + " named the address of master '" + s.redisSentinelMaster
                    + "' (init-param redis-sentinel-master)";
            throw unreachable("redis-sentinels", what, s, e);
        }
    }

    private static IllegalStateException unreachable(String param, String what, FilterSettings s, JedisException e) {
        return new IllegalStateException(
                "init-param " + param + ": " + what + " within redis-timeout "
                        + s.redisTimeout.toMillis() + "ms (" + e.getMessage()
                        + "); the filter needs that at start, whatever"
                        + " the failure-mode, so start one of them or fix the list",
                e);
    }

    private static String list(Set<HostAndPort> hosts) {
        StringBuilder sb = new StringBuilder();
        for (HostAndPort host : hosts) {
            sb.append(sb.length() == 0 ? "" : ", ").append(host);
        }
        return sb.toString();
    }

    /** {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://} for TLS. */
    private static UnifiedJedis standalone(FilterSettings s, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
            throw new IllegalArgumentException(
                    "init-param redis-url must look like redis://host:6379 or rediss://host:6380 but was '"
                            + masked(url) + "'");
        }
        String user = s.redisUser;
        String password = s.redisPassword;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = colon < 0 ? null : decode(info.substring(0, colon));
            password = decode(colon < 0 ? info : info.substring(colon + 1));
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "init-param redis-url must have a port from 1 to 65535 but was '" + masked(url) + "'");
        }
        HostAndPort server = new HostAndPort(uri.getHost(), port);
        JedisClientConfig config =
                config(s.redisTimeout, user, password, database(url, uri.getPath()), "rediss".equals(uri.getScheme()));
        return RedisClients.standalone(server, config, s.redisTimeout);
    }

    private static JedisClientConfig config(
            Duration timeout, @Nullable String user, @Nullable String password, int database, boolean ssl) {
        int millis = Math.toIntExact(timeout.toMillis());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .database(database)
                .ssl(ssl);
        if (user != null && !user.isEmpty()) {
            builder.user(user);
        }
        if (password != null && !password.isEmpty()) {
            builder.password(password);
        }
        return builder.build();
    }

    private static int database(String url, @Nullable String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        int database;
        try {
            database = Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            database = -1;
        }
        if (database < 0) {
            throw new IllegalArgumentException(
                    "init-param redis-url must end with a database number, if any, but was '" + masked(url) + "'");
        }
        return database;
    }

    private static Set<HostAndPort> hosts(String param, List<String> entries) {
        Set<HostAndPort> hosts = new LinkedHashSet<>();
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            int port;
            try {
                port = colon > 0 ? Integer.parseInt(entry.substring(colon + 1)) : 0;
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("init-param " + param
                        + " must list host:port entries with ports from 1 to 65535 but had '" + entry + "'");
            }
            hosts.add(new HostAndPort(entry.substring(0, colon), port));
        }
        return hosts;
    }

    /** The URL with any credentials hidden, for messages. */
    private static String masked(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***" + url.substring(at) : url;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** The Redis backend together with the client the filter created for it, closed together. */
    private static final class Owning implements RateLimitBackend {
        private final RedisBackend backend;
        private final UnifiedJedis jedis;

        Owning(RedisBackend backend, UnifiedJedis jedis) {
            this.backend = backend;
            this.jedis = jedis;
        }

        @Override
        public Decision consume(Policy policy, BucketKey key, long cost) {
            return backend.consume(policy, key, cost);
        }

        @Override
        public CompletionStage<Decision> consumeAsync(Policy policy, BucketKey key, long cost) {
            return backend.consumeAsync(policy, key, cost);
        }

        @Override
        public Decision peek(Policy policy, BucketKey key) {
            return backend.peek(policy, key);
        }

        @Override
        public void reset(Policy policy, BucketKey key) {
            backend.reset(policy, key);
        }

        @Override
        public String name() {
            return backend.name();
        }

        @Override
        public void close() {
            try {
                backend.close();
            } finally {
                jedis.close();
            }
        }
    }
}
