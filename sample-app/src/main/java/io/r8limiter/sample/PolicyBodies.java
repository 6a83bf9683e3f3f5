package io.r8limiter.sample;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the body of {@code PUT /admin/policy}: {@code {"resource", "capacity", "refill_tokens", "refill_period_ms"}}
 * or {@code {"resource", "limits": [{...}, ...]}}. Numbers must be JSON integers; a string, a fraction, a value beyond
 * 64 bits, a value beyond the core's bounds or a missing field is rejected with a message naming the JSON field and
 * the value, never the core's Java names. A resource obeys the bounds of {@code /allow} and, to have its own policy,
 * the core's bound on policy names. A body may carry both forms, as {@code GET /admin/policy} lists a single-limit
 * policy, only when they describe the same single limit.
 */
final class PolicyBodies {

    private static final int MAX_ECHO = 40;
    private static final List<String> FLAT_FIELDS = List.of("capacity", "refill_tokens", "refill_period_ms");

    private PolicyBodies() {}

    /**
     * The policy a body describes; a null or absent resource names the default policy.
     *
     * @throws IllegalArgumentException naming the offending field and value
     */
    static Policy parse(JsonNode body) {
        if (!body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        String name = resource(body.path("resource"));
        JsonNode limits = body.path("limits");
        if (limits.isMissingNode() || limits.isNull()) {
            return Policy.of(name, limit(body, ""));
        }
        if (!limits.isArray() || limits.isEmpty()) {
            throw new IllegalArgumentException("limits must be a non-empty array but was " + echo(limits));
        }
        List<Limit> list = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            list.add(limit(limits.get(i), "limits[" + i + "]."));
        }
        if (hasFlatFields(body)) {
            // a policy as GET lists it carries both forms; they must then say the same, or one would be dropped
            Limit flat = limit(body, "");
            if (list.size() != 1 || !list.get(0).equals(flat)) {
                throw new IllegalArgumentException("capacity, refill_tokens and refill_period_ms describe one limit"
                        + " and limits another; give one of the two, or both the same");
            }
        }
        return Policy.of(name, list);
    }

    private static boolean hasFlatFields(JsonNode body) {
        for (String field : FLAT_FIELDS) {
            JsonNode node = body.path(field);
            if (!node.isMissingNode() && !node.isNull()) {
                return true;
            }
        }
        return false;
    }

    private static String resource(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Resources.DEFAULT;
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("resource must be a string or null but was " + echo(node));
        }
        // a policy name follows the rule of a key part, so every resource /allow takes can have its own policy
        return BucketKey.checkPart("resource", node.stringValue());
    }

    private static Limit limit(JsonNode node, String prefix) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(prefix + "limit must be a JSON object but was " + echo(node));
        }
        long capacity = positive(node, prefix, "capacity");
        long refillTokens = positive(node, prefix, "refill_tokens");
        long periodMillis = positive(node, prefix, "refill_period_ms");
        if (capacity > Limit.MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    prefix + "capacity must be at most " + Limit.MAX_CAPACITY + " but was " + capacity);
        }
        if (refillTokens > Limit.MAX_REFILL_TOKENS) {
            throw new IllegalArgumentException(prefix + "refill_tokens must be at most " + Limit.MAX_REFILL_TOKENS
                    + " (2^53 - 1) but was " + refillTokens);
        }
        if (periodMillis > Limit.MAX_PERIOD.toMillis()) {
            throw new IllegalArgumentException(prefix + "refill_period_ms must be at most "
                    + Limit.MAX_PERIOD.toMillis() + " (30 days) but was " + periodMillis);
        }
        return exact(prefix, capacity, refillTokens, periodMillis);
    }

    /** The limit; the one check left to the core here is whether its arithmetic can count the values exactly. */
    private static Limit exact(String prefix, long capacity, long refillTokens, long periodMillis) {
        try {
            return Limit.of(capacity, refillTokens, Duration.ofMillis(periodMillis));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    prefix + "capacity " + capacity + ", " + prefix + "refill_tokens "
                            + refillTokens + " and " + prefix + "refill_period_ms " + periodMillis
                            + " cannot be counted exactly together; use a smaller capacity, or a refill_tokens"
                            + " that divides refill_period_ms (in microseconds) more evenly",
                    e);
        }
    }

    private static long positive(JsonNode object, String prefix, String field) {
        JsonNode node = object.path(field);
        if (node.isMissingNode() || node.isNull()) {
            throw new IllegalArgumentException(prefix + field + " is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() <= 0) {
            throw new IllegalArgumentException(prefix + field + " must be a positive integer but was " + echo(node));
        }
        return node.longValue();
    }

    private static String echo(JsonNode node) {
        return Echo.of(node.toString(), MAX_ECHO);
    }
}
