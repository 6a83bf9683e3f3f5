package io.r8limiter.spring.actuate;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterRedisAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code r8limiter} health contributor of the Redis backend; none in memory mode. Turn it off with
 * {@code management.health.r8limiter.enabled=false}.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RateLimiterAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, UnifiedJedis.class, CircuitBreakerConfig.class})
@ConditionalOnProperty(name = "r8limiter.backend", havingValue = "redis")
@ConditionalOnBean(name = RateLimiterRedisAutoConfiguration.JEDIS_BEAN, value = RateLimitBackend.class)
@ConditionalOnEnabledHealthIndicator("r8limiter")
public final class RateLimiterHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "r8limiterHealthIndicator")
    RateLimiterRedisHealthIndicator r8limiterHealthIndicator(
            @Qualifier(RateLimiterRedisAutoConfiguration.JEDIS_BEAN) UnifiedJedis jedis, RateLimitBackend backend) {
        return new RateLimiterRedisHealthIndicator(jedis, backend);
    }
}
