package io.r8limiter.servlet;

import io.r8limiter.FailureMode;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.web.ClientIpResolver;
import io.r8limiter.web.KeySpec;
import io.r8limiter.web.MissingKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The filter's init-params, read and checked. Every problem is an {@link IllegalArgumentException} whose message
 * names the init-param and the value.
 */
final class FilterSettings {

    static final Set<String> PARAMS = new TreeSet<>(List.of(
            "policy",
            "capacity",
            "refill-tokens",
            "refill-period",
            "shadow",
            "cost",
            "key",
            "missing-key",
            "trusted-proxies",
            "headers-on-allowed",
            "backend",
            "memory-max-keys",
            "failure-mode",
            "key-prefix",
            "redis-url",
            "redis-sentinel-master",
            "redis-sentinels",
            "redis-cluster-nodes",
            "redis-user",
            "redis-password",
            "redis-timeout"));

    final Policy policy;
    final long cost;
    final KeySpec key;
    final MissingKey missingKey;
    final ClientIpResolver clientIps;
    final boolean headersOnAllowed;
    final String backend;
    final int memoryMaxKeys;
    final FailureMode failureMode;
    final String keyPrefix;
    final @Nullable String redisUrl;
    final @Nullable String redisSentinelMaster;
    final List<String> redisSentinels;
    final List<String> redisClusterNodes;
    final @Nullable String redisUser;
    final @Nullable String redisPassword;
    final Duration redisTimeout;

    private final Function<String, @Nullable String> params;

    private FilterSettings(String filterName, Function<String, @Nullable String> params, ClassLoader loader) {
        this.params = params;
        this.policy = policy(text("policy", filterName));
        this.cost = positiveLong("cost", text("cost", "1"));
        this.key = parsed("key", text("key", "ip"), v -> KeySpec.parse(v, loader));
        this.missingKey = parsed("missing-key", text("missing-key", "client-ip"), MissingKey::parse);
        this.clientIps = parsed("trusted-proxies", text("trusted-proxies", ""), ClientIpResolver::parse);
        this.headersOnAllowed = bool("headers-on-allowed", true);
        this.backend = oneOf("backend", text("backend", "memory"), "memory", "redis");
        this.memoryMaxKeys =
                (int) Math.min(Integer.MAX_VALUE, positiveLong("memory-max-keys", text("memory-max-keys", "1000000")));
        this.failureMode =
                FailureMode.valueOf(oneOf("failure-mode", text("failure-mode", "open"), "open", "closed", "local")
                        .toUpperCase(Locale.ROOT));
        this.keyPrefix = keyPrefix(text("key-prefix", "r8"));
        this.redisUrl = params.apply("redis-url");
        this.redisSentinelMaster = params.apply("redis-sentinel-master");
        this.redisSentinels = list(text("redis-sentinels", ""));
        this.redisClusterNodes = list(text("redis-cluster-nodes", ""));
        this.redisUser = params.apply("redis-user");
        this.redisPassword = params.apply("redis-password");
        this.redisTimeout = timeout("redis-timeout", text("redis-timeout", "200ms"));
        checkCostFits();
        checkRedis();
    }

    /**
     * Reads the init-params of the filter {@code filterName}.
     *
     * @param names every init-param name given, to reject misspelt ones
     * @throws IllegalArgumentException naming the init-param and its value
     */
    static FilterSettings read(
            String filterName,
            Collection<String> names,
            Function<String, @Nullable String> params,
            ClassLoader loader) {
        for (String name : names) {
            if (!PARAMS.contains(name)) {
                throw new IllegalArgumentException(
                        "init-param " + name + " is not known; the known ones are " + String.join(", ", PARAMS));
            }
        }
        return new FilterSettings(filterName, params, loader);
    }

    private String text(String name, String fallback) {
        String value = params.apply(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private Policy policy(String name) {
        List<String> capacities = list(required("capacity"));
        List<String> periods = list(required("refill-period"));
        String tokensText = params.apply("refill-tokens");
        List<String> tokens = tokensText == null || tokensText.isBlank() ? capacities : list(tokensText);
        if (periods.size() != capacities.size() || tokens.size() != capacities.size()) {
            throw new IllegalArgumentException("init-params capacity, refill-tokens and refill-period must list as many"
                    + " values each (one per limit) but had " + capacities.size() + ", " + tokens.size() + " and "
                    + periods.size());
        }
        Policy.Builder builder = parsed("policy", name, Policy::builder);
        for (int i = 0; i < capacities.size(); i++) {
            long capacity = positiveLong("capacity", capacities.get(i));
            long refill = positiveLong("refill-tokens", tokens.get(i));
            Duration period = duration("refill-period", periods.get(i));
            String limitText =
                    "capacity=" + capacity + ", refill-tokens=" + refill + ", refill-period=" + periods.get(i);
            builder.limit(
                    parsed("limit " + (i + 1) + " (" + limitText + ")", period, p -> Limit.of(capacity, refill, p)));
        }
        boolean shadow = bool("shadow", false);
        return parsed("policy", name, n -> builder.shadow(shadow).build());
    }

    private String required(String name) {
        String value = params.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("init-param " + name + " is required");
        }
        return value;
    }

    private long positiveLong(String name, String value) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed <= 0) {
            throw new IllegalArgumentException(
                    "init-param " + name + " must be a positive whole number but was '" + value + "'");
        }
        return parsed;
    }

    private static Duration duration(String name, String value) {
        Duration parsed;
        try {
            parsed = Durations.parse(value);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("init-param " + name + " is too long for a duration: '" + value + "'");
        }
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException("init-param " + name
                    + " must be a positive duration such as 500ms, 1s, 1m or PT1M but was '" + value + "'");
        }
        return parsed;
    }

    /** A socket timeout: whole milliseconds that fit an {@code int}, as Jedis takes them; 0 would mean forever. */
    private static Duration timeout(String name, String value) {
        Duration parsed = duration(name, value);
        if (parsed.compareTo(Duration.ofMillis(1)) < 0 || parsed.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("init-param " + name + " must be between 1ms and " + Integer.MAX_VALUE
                    + "ms but was '" + value + "'");
        }
        return parsed;
    }

    private boolean bool(String name, boolean fallback) {
        String value = text(name, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(
                    "init-param " + name + " must be true or false but was '" + params.apply(name) + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static String oneOf(String name, String value, String... allowed) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(v)) {
            throw new IllegalArgumentException("init-param " + name + " must be one of " + String.join(", ", allowed)
                    + " but was '" + value + "'");
        }
        return v;
    }

    /** Braces would let the prefix pick the Redis Cluster hash tag, which the backend derives itself. */
    private static String keyPrefix(String value) {
        if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
            throw new IllegalArgumentException("init-param key-prefix must not contain braces but was '" + value + "'");
        }
        return value;
    }

    private static <T, R> R parsed(String name, T value, Function<T, R> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("init-param " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String text) {
        List<String> values = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                values.add(part.trim());
            }
        }
        return values;
    }

    private void checkCostFits() {
        if (cost > policy.maxCost()) {
            throw new IllegalArgumentException(
                    "init-param cost must be at most the smallest capacity " + policy.maxCost() + " but was " + cost);
        }
    }

    private void checkRedis() {
        if (!backend.equals("redis")) {
            return;
        }
        int ways =
                (redisUrl != null ? 1 : 0) + (redisSentinels.isEmpty() ? 0 : 1) + (redisClusterNodes.isEmpty() ? 0 : 1);
        if (ways != 1) {
            throw new IllegalArgumentException("backend redis needs exactly one of the init-params redis-url,"
                    + " redis-sentinels (with redis-sentinel-master) or redis-cluster-nodes, but " + ways
                    + " were given");
        }
        boolean master = redisSentinelMaster != null && !redisSentinelMaster.isBlank();
        if (!redisSentinels.isEmpty() && !master) {
            throw new IllegalArgumentException("init-param redis-sentinel-master is required with redis-sentinels");
        }
        if (redisSentinels.isEmpty() && master) {
            throw new IllegalArgumentException("init-param redis-sentinel-master needs redis-sentinels, but was given"
                    + " with " + (redisUrl != null ? "redis-url" : "redis-cluster-nodes"));
        }
    }
}
