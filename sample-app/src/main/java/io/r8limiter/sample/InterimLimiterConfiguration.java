package io.r8limiter.sample;

import io.r8limiter.DecisionListener;
import io.r8limiter.FailureMode;
import io.r8limiter.LocalPolicyStore;
import io.r8limiter.Policy;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import io.r8limiter.redis.RedisPolicyStore;
import io.r8limiter.redis.RedisStats;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * Until the starter provides them: the limiter, its backend, policy store and stats, from {@code r8limiter.backend},
 * {@code r8limiter.policies}, {@code r8limiter.failure-mode} and {@code spring.data.redis.url}.
 */
@Configuration(proxyBeanMethods = false)
class InterimLimiterConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RateLimiter rateLimiter(
            RateLimitBackend backend,
            PolicyStore policies,
            RateLimitStats stats,
            ObjectProvider<DecisionListener> listeners) {
        RateLimiter.Builder builder =
                RateLimiter.builder().backend(backend).policies(policies).listener(stats);
        listeners.orderedStream().filter(l -> l != stats).forEach(builder::listener);
        return builder.build();
    }

    static List<Policy> configured(Environment environment) {
        Map<String, PolicyProperties> bound = Binder.get(environment)
                .bind("r8limiter.policies", Bindable.mapOf(String.class, PolicyProperties.class))
                .orElse(Map.of());
        List<Policy> policies = new ArrayList<>();
        bound.forEach((name, p) -> policies.add(p.toPolicy(name)));
        return policies;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "r8limiter.backend", havingValue = "memory", matchIfMissing = true)
    static class Memory {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RateLimitBackend memoryBackend() {
            return MemoryBackend.builder().build();
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        PolicyStore policyStore(Environment environment) {
            return LocalPolicyStore.of(configured(environment));
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RateLimitStats rateLimitStats() {
            return LocalStats.ofDefaults();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "r8limiter.backend", havingValue = "redis")
    static class Redis {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        JedisPooled r8limiterJedis(
                @Value("${spring.data.redis.url:redis://localhost:6379}") URI url,
                @Value("${r8limiter.redis.timeout:200ms}") Duration timeout) {
            return RedisClients.standalone(new HostAndPort(url.getHost(), url.getPort()), timeout);
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RateLimitBackend redisBackend(JedisPooled jedis, @Value("${r8limiter.failure-mode:open}") String failureMode) {
            return RedisBackend.builder()
                    .jedis(jedis)
                    .failureMode(FailureMode.valueOf(failureMode.toUpperCase(Locale.ROOT)))
                    .build();
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        PolicyStore policyStore(JedisPooled jedis, Environment environment) {
            return RedisPolicyStore.builder(jedis)
                    .policies(configured(environment))
                    .build();
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        RateLimitStats rateLimitStats(JedisPooled jedis) {
            return RedisStats.builder(jedis).build();
        }
    }

    /** One configured policy. */
    record PolicyProperties(List<LimitProperties> limits, boolean shadow) {
        Policy toPolicy(String name) {
            Policy.Builder b = Policy.builder(name).shadow(shadow);
            limits.forEach(l -> b.limit(l.capacity(), l.refillTokens(), l.refillPeriod()));
            return b.build();
        }
    }

    /** One configured limit. */
    record LimitProperties(long capacity, long refillTokens, Duration refillPeriod) {}
}
