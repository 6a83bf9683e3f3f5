package io.r8limiter.spring.autoconfigure;

import io.r8limiter.DecisionListener;
import io.r8limiter.LocalPolicyStore;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The limiter itself: the configured policies, the in-memory backend unless another one is configured, and the
 * {@link RateLimiter} that every integration of the starter decides with, with local decision statistics (totals and
 * top offenders over {@code r8limiter.stats.window}) and every {@link DecisionListener} bean listening.
 *
 * <p>Runs after {@link RateLimiterRedisAutoConfiguration}, so that with {@code r8limiter.backend=redis} the Redis
 * backend (and, where one is offered, a Redis-backed policy store) is already defined and these beans back off.
 * Every bean backs off when the application defines its own of the same type.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RateLimiterRedisAutoConfiguration.class)
@EnableConfigurationProperties(RateLimiterProperties.class)
public final class RateLimiterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PolicyStore r8limiterPolicyStore(RateLimiterProperties properties) {
        return LocalPolicyStore.of(ConfiguredPolicies.of(properties));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "r8limiter.backend", havingValue = "memory", matchIfMissing = true)
    RateLimitBackend r8limiterBackend(RateLimiterProperties properties) {
        return MemoryBackend.builder()
                .maxKeys(properties.getMemory().getMaxKeys())
                .build();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "r8limiter.stats.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    RateLimitStats r8limiterStats(RateLimiterProperties properties) {
        return LocalStats.builder().window(properties.getStats().getWindow()).build();
    }

    /** Closing is left to the backend and store beans, which Spring closes on its own. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    RateLimiter r8limiter(
            RateLimiterProperties properties,
            ObjectProvider<RateLimitBackend> backend,
            PolicyStore policies,
            ObjectProvider<DecisionListener> listeners) {
        RateLimitBackend chosen = backend.getIfAvailable();
        if (chosen == null) {
            throw new IllegalStateException("r8limiter.backend=redis needs redis.clients:jedis and"
                    + " io.github.resilience4j:resilience4j-circuitbreaker on the classpath; add them or set"
                    + " r8limiter.backend=memory");
        }
        RateLimiter.Builder builder = RateLimiter.builder().backend(chosen).policies(policies);
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }
}
