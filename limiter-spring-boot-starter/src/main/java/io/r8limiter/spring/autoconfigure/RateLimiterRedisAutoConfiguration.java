package io.r8limiter.spring.autoconfigure;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisPolicyStore;
import io.r8limiter.redis.RedisStats;
import io.r8limiter.stats.RateLimitStats;
import java.time.Duration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis backend, when {@code r8limiter.backend=redis}: buckets, runtime policy overrides and statistics shared
 * by every instance, over a Jedis client connected where Spring Boot's own {@code spring.data.redis.*} settings
 * point (URL, host and port, credentials, SSL, Sentinel or Cluster).
 *
 * <p>When Boot's data-redis module is present its {@code DataRedisConnectionDetails} are used, so service
 * connections (Testcontainers, Docker Compose) work too; otherwise the starter binds {@code spring.data.redis.*}
 * itself, so a Jedis-only application needs neither Spring Data Redis nor Lettuce. Runs before
 * {@link RateLimiterAutoConfiguration}, whose in-memory beans then back off.
 *
 * @since 0.1
 */
@AutoConfiguration(
        after = SslAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({UnifiedJedis.class, CircuitBreakerConfig.class})
@ConditionalOnProperty(name = "r8limiter.backend", havingValue = "redis")
@EnableConfigurationProperties(RateLimiterProperties.class)
public final class RateLimiterRedisAutoConfiguration {

    private static final String DATA_REDIS_DETAILS =
            "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

    /** The name of the limiter's own Jedis client, which the backend, store, stats and health check use. */
    public static final String JEDIS_BEAN = "r8limiterJedis";

    /**
     * Closed by Spring when the context stops; the backend, store and stats leave it to its owner. Backs off only
     * for a bean of this name, so the application's own Jedis clients are never taken for the limiter's.
     */
    @Bean(JEDIS_BEAN)
    @ConditionalOnMissingBean(name = JEDIS_BEAN)
    UnifiedJedis r8limiterJedis(
            RateLimiterProperties properties,
            Environment environment,
            BeanFactory beanFactory,
            ObjectProvider<SslBundles> sslBundles) {
        SpringDataRedisSettings settings = Binder.get(environment)
                .bind("spring.data.redis", SpringDataRedisSettings.class)
                .orElseGet(SpringDataRedisSettings::new);
        RedisTarget target = target(settings, beanFactory, sslBundles.getIfAvailable());
        Duration timeout = properties.getRedis().getTimeout();
        return JedisClients.create(target, timeout, timeout, settings.getClientName());
    }

    @Bean
    @ConditionalOnMissingBean
    RateLimitBackend r8limiterBackend(@Qualifier(JEDIS_BEAN) UnifiedJedis jedis, RateLimiterProperties properties) {
        return RedisBackend.builder()
                .jedis(jedis)
                .keyPrefix(properties.getKeyPrefix())
                .failureMode(properties.getFailureMode())
                .localBackend(MemoryBackend.builder()
                        .maxKeys(properties.getMemory().getMaxKeys())
                        .build())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    PolicyStore r8limiterPolicyStore(@Qualifier(JEDIS_BEAN) UnifiedJedis jedis, RateLimiterProperties properties) {
        return RedisPolicyStore.builder(jedis)
                .keyPrefix(properties.getKeyPrefix())
                .policies(ConfiguredPolicies.of(properties))
                .build();
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "r8limiter.stats.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean
    RateLimitStats r8limiterStats(@Qualifier(JEDIS_BEAN) UnifiedJedis jedis, RateLimiterProperties properties) {
        return RedisStats.builder(jedis)
                .keyPrefix(properties.getKeyPrefix())
                .window(properties.getStats().getWindow())
                .build();
    }

    private static RedisTarget target(SpringDataRedisSettings settings, BeanFactory beans, SslBundles bundles) {
        if (ClassUtils.isPresent(DATA_REDIS_DETAILS, RateLimiterRedisAutoConfiguration.class.getClassLoader())) {
            RedisTarget fromBoot = DataRedisDetailsLookup.find(beans, settings);
            if (fromBoot != null) {
                return fromBoot;
            }
        }
        return RedisTargets.fromProperties(settings, bundles);
    }
}
