package io.r8limiter.sample;

import io.r8limiter.DecisionListener;
import io.r8limiter.LocalPolicyStore;
import io.r8limiter.Policy;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimiter;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Until the starter provides them: the policy store from {@code r8limiter.policies}, local stats and an in-memory
 * limiter.
 */
@Configuration(proxyBeanMethods = false)
class InterimLimiterConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    PolicyStore policyStore(Environment environment) {
        Map<String, PolicyProperties> bound = Binder.get(environment)
                .bind("r8limiter.policies", Bindable.mapOf(String.class, PolicyProperties.class))
                .orElse(Map.of());
        List<Policy> policies = new ArrayList<>();
        bound.forEach((name, p) -> policies.add(p.toPolicy(name)));
        return LocalPolicyStore.of(policies);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RateLimitStats rateLimitStats() {
        return LocalStats.ofDefaults();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RateLimiter rateLimiter(PolicyStore policies, RateLimitStats stats, ObjectProvider<DecisionListener> listeners) {
        RateLimiter.Builder builder = RateLimiter.builder().policies(policies).listener(stats);
        listeners.orderedStream().filter(l -> l != stats).forEach(builder::listener);
        return builder.build();
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
