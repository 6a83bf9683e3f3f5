package io.r8limiter.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.micrometer.RateLimiterMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for every decision: {@code r8limiter.decisions} by policy and outcome, backend latency, the
 * circuit state of a Redis backend and the live keys of the in-memory one.
 *
 * <p>The meters are a {@link io.micrometer.core.instrument.binder.MeterBinder} bean, which Spring Boot binds to the
 * application's registries; tags never carry a caller's key. Backs off without Micrometer on the classpath.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RateLimiterAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(RateLimitBackend.class)
public final class RateLimiterMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RateLimiterMetrics r8limiterMetrics(RateLimitBackend backend) {
        return new RateLimiterMetrics(backend, RedisCircuit.of(backend));
    }
}
