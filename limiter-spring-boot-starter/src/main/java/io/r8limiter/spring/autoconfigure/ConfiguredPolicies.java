package io.r8limiter.spring.autoconfigure;

import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties.LimitProperties;
import io.r8limiter.spring.autoconfigure.RateLimiterProperties.PolicyProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policies declared under {@code r8limiter.policies}, checked and turned into {@link Policy} values: the base
 * that any {@link io.r8limiter.PolicyStore} starts from, whether it lives in memory or on Redis.
 *
 * <p>A bad value throws an {@link IllegalArgumentException} whose message starts with the full property name, such
 * as {@code r8limiter.policies.api.limits[0].refill-tokens must be positive but was 0}.
 *
 * @since 0.1
 */
public final class ConfiguredPolicies {

    private ConfiguredPolicies() {}

    /** Every configured policy, in declaration order. */
    public static List<Policy> of(RateLimiterProperties properties) {
        List<Policy> policies = new ArrayList<>();
        for (Map.Entry<String, PolicyProperties> e : properties.getPolicies().entrySet()) {
            policies.add(policy(e.getKey(), e.getValue()));
        }
        return policies;
    }

    private static Policy policy(String name, PolicyProperties properties) {
        String prefix = "r8limiter.policies." + name;
        if (properties.getLimits().isEmpty()) {
            throw new IllegalArgumentException(prefix + ".limits must hold at least one limit");
        }
        Policy.Builder builder = Policy.builder(name).shadow(properties.isShadow());
        for (int i = 0; i < properties.getLimits().size(); i++) {
            builder.limit(
                    limit(prefix + ".limits[" + i + "]", properties.getLimits().get(i)));
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage());
        }
    }

    private static Limit limit(String prefix, LimitProperties properties) {
        Long capacity = properties.getCapacity();
        Duration period = properties.getRefillPeriod();
        if (capacity == null) {
            throw new IllegalArgumentException(prefix + ".capacity must be set");
        }
        if (period == null) {
            throw new IllegalArgumentException(prefix + ".refill-period must be set, for example 1m or 500ms");
        }
        long refill = properties.getRefillTokens() != null ? properties.getRefillTokens() : capacity;
        try {
            return Limit.of(capacity, refill, period);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(propertyNamed(prefix, e.getMessage()));
        }
    }

    /** Rewrites the core's leading field name ({@code refillTokens ...}) as the property's ({@code refill-tokens}). */
    private static String propertyNamed(String prefix, String message) {
        if (message.startsWith("refillTokens")) {
            return prefix + ".refill-tokens" + message.substring("refillTokens".length());
        }
        if (message.startsWith("refillPeriod")) {
            return prefix + ".refill-period" + message.substring("refillPeriod".length());
        }
        if (message.startsWith("capacity")) {
            return prefix + "." + message;
        }
        return prefix + ": " + message;
    }
}
