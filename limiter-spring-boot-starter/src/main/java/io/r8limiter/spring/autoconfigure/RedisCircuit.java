package io.r8limiter.spring.autoconfigure;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.redis.RedisBackend;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/** The circuit state of a Redis backend, read without loading Redis classes when Jedis is absent. */
final class RedisCircuit {

    private static final boolean REDIS_PRESENT = ClassUtils.isPresent(
                    "redis.clients.jedis.UnifiedJedis", RedisCircuit.class.getClassLoader())
            && ClassUtils.isPresent(
                    "io.github.resilience4j.circuitbreaker.CircuitBreaker", RedisCircuit.class.getClassLoader());

    private RedisCircuit() {}

    /** The backend's circuit state as a tag ({@code closed}, {@code open}, {@code half_open}), or null. */
    static @Nullable Supplier<String> of(RateLimitBackend backend) {
        return REDIS_PRESENT ? Redis.of(backend) : null;
    }

    private static final class Redis {
        static @Nullable Supplier<String> of(RateLimitBackend backend) {
            return backend instanceof RedisBackend redis
                    ? () -> redis.circuitState().tag()
                    : null;
        }
    }
}
