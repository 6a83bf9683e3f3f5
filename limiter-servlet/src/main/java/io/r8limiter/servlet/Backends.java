package io.r8limiter.servlet;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.memory.MemoryBackend;

/** Builds the backend named by the init-params; Redis classes are touched only for {@code backend=redis}. */
final class Backends {

    /** What {@code backend=redis} loads: the Jedis client and Resilience4j's circuit breaker. */
    private static final String[] REDIS_CLASSES = {
        "redis.clients.jedis.UnifiedJedis", "io.github.resilience4j.circuitbreaker.CircuitBreaker"
    };

    private Backends() {}

    static RateLimitBackend create(FilterSettings settings) {
        if (settings.backend.equals("redis")) {
            // Checked before any client exists: a Sentinel client closed moments after it was built can keep a
            // listener thread alive, since Jedis starts the listener before it can be told to stop.
            requireRedisClasses();
            return RedisBackends.create(settings);
        }
        return MemoryBackend.builder().maxKeys(settings.memoryMaxKeys).build();
    }

    private static void requireRedisClasses() {
        for (String name : REDIS_CLASSES) {
            try {
                Class.forName(name, false, Backends.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("init-param backend redis needs Jedis and Resilience4j's circuit"
                        + " breaker on the class path (redis.clients:jedis, io.github.resilience4j:"
                        + "resilience4j-circuitbreaker); missing: " + name);
            }
        }
    }
}
