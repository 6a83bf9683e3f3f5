package io.r8limiter.spring.actuate;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.redis.RedisBackend;
import java.util.Locale;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import redis.clients.jedis.UnifiedJedis;

/**
 * Health of the limiter's Redis: UP when it answers a PING, DOWN otherwise, with the backend's circuit state
 * ({@code closed}, {@code open}, {@code half_open}) and failure mode in the details.
 *
 * <p>While Redis is down the limiter keeps answering through its failure mode, so an outage must not take instances
 * out of service: this contributor is not part of the liveness or readiness groups (Boot's probe groups include only
 * the availability states unless the application adds more). Runs the PING on the thread that asks for health,
 * bounded by {@code r8limiter.redis.timeout}.
 *
 * @since 0.1
 */
public class RateLimiterRedisHealthIndicator implements HealthIndicator {

    private final UnifiedJedis jedis;
    private final RateLimitBackend backend;

    /** A contributor pinging {@code jedis} and reporting {@code backend}'s circuit state if it is a Redis backend. */
    public RateLimiterRedisHealthIndicator(UnifiedJedis jedis, RateLimitBackend backend) {
        this.jedis = jedis;
        this.backend = backend;
    }

    @Override
    public Health health() {
        Health.Builder builder;
        try {
            jedis.ping();
            builder = Health.up();
        } catch (RuntimeException e) {
            builder = Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        builder.withDetail("backend", backend.name());
        if (backend instanceof RedisBackend redis) {
            builder.withDetail("circuit", redis.circuitState().tag())
                    .withDetail("failureMode", redis.failureMode().name().toLowerCase(Locale.ROOT));
        }
        return builder.build();
    }
}
