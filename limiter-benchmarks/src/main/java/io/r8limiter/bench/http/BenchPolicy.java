package io.r8limiter.bench.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The policy both benchmark apps limit {@code /limited} with: one bucket per {@code X-User} header, so large that no
 * request is ever denied during a run and every request pays for a full decision.
 */
final class BenchPolicy {

    static final String NAME = "bench";
    static final String KEY = "header:X-User";
    static final long CAPACITY = 1_000_000_000_000L;
    static final long REFILL_TOKENS = 1_000_000_000L;
    static final String REFILL_PERIOD = "1s";

    private BenchPolicy() {}

    /** The policy as the starter's {@code r8limiter.*} properties, for the Spring app's defaults. */
    static Map<String, Object> springProperties() {
        String limit = "r8limiter.policies." + NAME + ".limits[0].";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(limit + "capacity", CAPACITY);
        properties.put(limit + "refill-tokens", REFILL_TOKENS);
        properties.put(limit + "refill-period", REFILL_PERIOD);
        return properties;
    }

    /** The policy as the servlet filter's init-params; on Redis when {@code redisUrl} is given, else in memory. */
    static Map<String, String> filterParams(@Nullable String redisUrl) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("policy", NAME);
        params.put("capacity", Long.toString(CAPACITY));
        params.put("refill-tokens", Long.toString(REFILL_TOKENS));
        params.put("refill-period", REFILL_PERIOD);
        params.put("key", KEY);
        if (redisUrl != null) {
            params.put("backend", "redis");
            params.put("redis-url", redisUrl);
        }
        return params;
    }
}
