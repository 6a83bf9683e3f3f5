package io.r8limiter.spring.autoconfigure;

import io.r8limiter.FailureMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code r8limiter.*} settings: backend, policies, URL rules, headers and the client-address setup.
 *
 * <p>Policies are checked when the context starts: a bad value fails startup with a message naming the property
 * and the value, for example {@code r8limiter.policies.api.limits[0].capacity must be positive but was 0}. Counts
 * are {@code long} throughout, so daily quotas beyond two billion bind exactly.
 *
 * @since 0.1
 */
@ConfigurationProperties("r8limiter")
public class RateLimiterProperties {

    /** Where buckets live: in this process, or on Redis configured by Spring Boot's spring.data.redis settings. */
    private Backend backend = Backend.MEMORY;

    /** What a Redis backend answers while Redis is unreachable or slow. */
    private FailureMode failureMode = FailureMode.OPEN;

    /** Prefix of every Redis key the limiter writes. */
    private String keyPrefix = "r8";

    /**
     * Named policies, each with one or more limits (capacity, refill-tokens, refill-period) that are checked and
     * debited together, and shadow to count denials without enforcing them.
     */
    private Map<String, PolicyProperties> policies = new LinkedHashMap<>();

    /** Addresses or CIDR ranges of proxies whose X-Forwarded-For and Forwarded headers are believed. */
    private List<String> trustedProxies = new ArrayList<>();

    /**
     * URL rules (pattern, policy, key, cost) that limit requests whose handler carries no @RateLimited, first match
     * wins.
     */
    private List<Rule> rules = new ArrayList<>();

    private final Headers headers = new Headers();

    private final Web web = new Web();

    private final Redis redis = new Redis();

    private final Memory memory = new Memory();

    private final Stats stats = new Stats();

    private final Endpoint endpoint = new Endpoint();

    public Backend getBackend() {
        return backend;
    }

    public void setBackend(Backend backend) {
        this.backend = backend;
    }

    public FailureMode getFailureMode() {
        return failureMode;
    }

    public void setFailureMode(FailureMode failureMode) {
        this.failureMode = failureMode;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Map<String, PolicyProperties> getPolicies() {
        return policies;
    }

    public void setPolicies(Map<String, PolicyProperties> policies) {
        this.policies = policies;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public List<Rule> getRules() {
        return rules;
    }

    public void setRules(List<Rule> rules) {
        this.rules = rules;
    }

    public Headers getHeaders() {
        return headers;
    }

    public Web getWeb() {
        return web;
    }

    public Redis getRedis() {
        return redis;
    }

    public Memory getMemory() {
        return memory;
    }

    public Stats getStats() {
        return stats;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    /** Where buckets live. */
    public enum Backend {
        /** In this process; each instance limits on its own. */
        MEMORY,
        /** On Redis, shared by every instance. */
        REDIS
    }

    /** One named policy. */
    public static class PolicyProperties {

        /** Limits of the policy; a request must fit all of them. */
        private List<LimitProperties> limits = new ArrayList<>();

        /** Whether denials are only counted, never enforced. */
        private boolean shadow;

        public List<LimitProperties> getLimits() {
            return limits;
        }

        public void setLimits(List<LimitProperties> limits) {
            this.limits = limits;
        }

        public boolean isShadow() {
            return shadow;
        }

        public void setShadow(boolean shadow) {
            this.shadow = shadow;
        }
    }

    /** One token bucket of a policy. */
    public static class LimitProperties {

        /** Most tokens the bucket holds. */
        private @Nullable Long capacity;

        /** Tokens that come back per refill period; the capacity when not set. */
        private @Nullable Long refillTokens;

        /** Period over which refill-tokens come back, such as 1m or 500ms. */
        private @Nullable Duration refillPeriod;

        public @Nullable Long getCapacity() {
            return capacity;
        }

        public void setCapacity(@Nullable Long capacity) {
            this.capacity = capacity;
        }

        public @Nullable Long getRefillTokens() {
            return refillTokens;
        }

        public void setRefillTokens(@Nullable Long refillTokens) {
            this.refillTokens = refillTokens;
        }

        public @Nullable Duration getRefillPeriod() {
            return refillPeriod;
        }

        public void setRefillPeriod(@Nullable Duration refillPeriod) {
            this.refillPeriod = refillPeriod;
        }
    }

    /** A URL rule for handlers without @RateLimited. */
    public static class Rule {

        /** Path pattern such as /api/** (Spring PathPattern syntax). */
        private @Nullable String pattern;

        /** Name of the policy that limits matching requests. */
        private @Nullable String policy;

        /**
         * Which part of the request identifies the caller: ip, header:NAME, query:NAME, principal, class:FQCN or
         * spel:EXPR.
         */
        private String key = "ip";

        /** Tokens one request takes. */
        private long cost = 1;

        public @Nullable String getPattern() {
            return pattern;
        }

        public void setPattern(@Nullable String pattern) {
            this.pattern = pattern;
        }

        public @Nullable String getPolicy() {
            return policy;
        }

        public void setPolicy(@Nullable String policy) {
            this.policy = policy;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public long getCost() {
            return cost;
        }

        public void setCost(long cost) {
            this.cost = cost;
        }
    }

    /** Response headers. */
    public static class Headers {

        /** Whether allowed responses carry the RateLimit and RateLimit-Policy fields. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The Spring MVC integration. */
    public static class Web {

        /** Whether @RateLimited handlers and URL rules are limited in Spring MVC applications. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Redis backend settings; the connection itself comes from spring.data.redis. */
    public static class Redis {

        /**
         * Connect and read timeout of the limiter's Redis client, past which the failure mode answers. The limiter
         * does not use spring.data.redis.timeout or connect-timeout, which are tuned for the application's own
         * commands rather than for a decision on the request path.
         */
        private Duration timeout = Duration.ofMillis(200);

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** In-memory backend settings. */
    public static class Memory {

        /** Maximum live buckets held at once. */
        private int maxKeys = 1_000_000;

        public int getMaxKeys() {
            return maxKeys;
        }

        public void setMaxKeys(int maxKeys) {
            this.maxKeys = maxKeys;
        }
    }

    /** Decision statistics. */
    public static class Stats {

        /** Whether decisions are counted for totals and top offenders (the endpoint then shows none). */
        private boolean enabled = true;

        /** Window that totals and top offenders cover. */
        private Duration window = Duration.ofMinutes(15);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** The ratelimit actuator endpoint. */
    public static class Endpoint {

        /** Role every operation of the endpoint requires when Spring Security is present. */
        private String role = "ADMIN";

        public String getRole() {
            return role;
        }

        public void setRole(String role) {
            this.role = role;
        }
    }
}
