package io.r8limiter.spring.autoconfigure;

import java.time.Duration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis backend, when {@code r8limiter.backend=redis}: a Jedis client connected where Spring Boot's own
 * {@code spring.data.redis.*} settings point (URL, host and port, password, SSL, Sentinel or Cluster).
 *
 * <p>When Boot's data-redis module is present its {@code DataRedisConnectionDetails} are used, so service
 * connections (Testcontainers, Docker Compose) work too; otherwise the starter binds {@code spring.data.redis.*}
 * itself, so a Jedis-only application needs neither Spring Data Redis nor Lettuce.
 *
 * @since 0.1
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration"
        })
@ConditionalOnClass(UnifiedJedis.class)
@ConditionalOnProperty(name = "r8limiter.backend", havingValue = "redis")
@EnableConfigurationProperties(RateLimiterProperties.class)
public final class RateLimiterRedisAutoConfiguration {

    private static final String DATA_REDIS_DETAILS =
            "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails";

    @Bean
    @ConditionalOnMissingBean
    UnifiedJedis r8limiterJedis(
            RateLimiterProperties properties,
            Environment environment,
            BeanFactory beanFactory,
            ObjectProvider<SslBundles> sslBundles) {
        SpringDataRedisSettings settings = Binder.get(environment)
                .bind("spring.data.redis", SpringDataRedisSettings.class)
                .orElseGet(SpringDataRedisSettings::new);
        RedisTarget target = target(settings, beanFactory, sslBundles.getIfAvailable());
        Duration timeout = settings.getTimeout() != null ? settings.getTimeout() : properties.getRedis().getTimeout();
        Duration connect = settings.getConnectTimeout() != null ? settings.getConnectTimeout() : timeout;
        return JedisClients.create(target, timeout, connect, settings.getClientName());
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
