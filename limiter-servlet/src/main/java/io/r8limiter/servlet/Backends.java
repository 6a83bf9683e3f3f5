package io.r8limiter.servlet;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.memory.MemoryBackend;

/** Builds the backend named by the init-params; Redis classes are touched only for {@code backend=redis}. */
final class Backends {

    private Backends() {}

    static RateLimitBackend create(FilterSettings settings) {
        if (settings.backend.equals("redis")) {
            try {
                return RedisBackends.create(settings);
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("init-param backend redis needs Jedis and Resilience4j's circuit"
                        + " breaker on the class path (redis.clients:jedis, io.github.resilience4j:"
                        + "resilience4j-circuitbreaker); missing: " + e.getMessage());
            }
        }
        return MemoryBackend.builder().maxKeys(settings.memoryMaxKeys).build();
    }
}
