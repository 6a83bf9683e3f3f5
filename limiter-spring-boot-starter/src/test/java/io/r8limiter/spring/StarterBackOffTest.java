package io.r8limiter.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.micrometer.RateLimiterMetrics;
import io.r8limiter.spring.actuate.RateLimitEndpoint;
import io.r8limiter.spring.actuate.RateLimitEndpointWebExtension;
import io.r8limiter.spring.actuate.RateLimiterEndpointAutoConfiguration;
import io.r8limiter.spring.actuate.RateLimiterHealthAutoConfiguration;
import io.r8limiter.spring.actuate.RateLimiterRedisHealthIndicator;
import io.r8limiter.spring.autoconfigure.RateLimiterAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterMetricsAutoConfiguration;
import io.r8limiter.spring.autoconfigure.RateLimiterRedisAutoConfiguration;
import io.r8limiter.spring.mvc.RateLimitInterceptor;
import io.r8limiter.spring.mvc.RateLimiterWebMvcAutoConfiguration;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import io.r8limiter.testkit.SharedRedis;
import io.r8limiter.web.ClientIpResolver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import redis.clients.jedis.UnifiedJedis;

/** Every auto-configuration of the starter at once: what loads without optional libraries, and what backs off. */
class StarterBackOffTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    WebMvcAutoConfiguration.class,
                    EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    RateLimiterRedisAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterMetricsAutoConfiguration.class,
                    RateLimiterWebMvcAutoConfiguration.class,
                    RateLimiterEndpointAutoConfiguration.class,
                    RateLimiterHealthAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.policies.api.limits[0].capacity=5",
                    "r8limiter.policies.api.limits[0].refill-period=1m",
                    "management.endpoints.web.exposure.include=ratelimit");

    private final WebApplicationContextRunner onRedis = runner.withPropertyValues(
            "r8limiter.backend=redis",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + SharedRedis.standalone().port());

    @Test
    void memoryMode_startsWithoutJedisAndResilience4j_withEveryIntegration_andNoRedisHealth() {
        // The memory engine must load without the Redis libraries; a Redis class reached from any of the starter's
        // auto-configurations would fail startup here.
        runner.withClassLoader(new FilteredClassLoader(UnifiedJedis.class, CircuitBreakerConfig.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(RateLimiter.class)
                        .hasSingleBean(RateLimitInterceptor.class)
                        .hasSingleBean(RateLimitEndpoint.class)
                        .hasSingleBean(RateLimitEndpointWebExtension.class)
                        .hasSingleBean(RateLimiterMetrics.class)
                        .doesNotHaveBean("r8limiterJedis")
                        .doesNotHaveBean("r8limiterHealthIndicator")
                        .doesNotHaveBean(RateLimiterRedisHealthIndicator.class));
    }

    @Test
    void applicationsStats_replaceTheStarters() {
        RateLimitStats own = LocalStats.builder().build();

        runner.withBean("ownStats", RateLimitStats.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(RateLimitStats.class).hasBean("ownStats");
            context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of("u1"));

            assertThat(context.getBean(RateLimitEndpoint.class).summary(null).totals())
                    .satisfies(totals -> assertThat(totals.allowed()).isEqualTo(1));
        });
    }

    @Test
    void applicationsStats_replaceTheRedisStats() {
        onRedis.withBean("ownStats", RateLimitStats.class, () -> LocalStats.builder()
                        .build())
                .run(context ->
                        assertThat(context).hasSingleBean(RateLimitStats.class).hasBean("ownStats"));
    }

    @Test
    void applicationsClientIpResolver_isTheOneTheInterceptorUses() {
        ClientIpResolver own = ClientIpResolver.of(List.of("10.0.0.0/8"));

        runner.withBean("ownIps", ClientIpResolver.class, () -> own).run(context -> assertThat(context)
                .hasSingleBean(ClientIpResolver.class)
                .hasBean("ownIps")
                .doesNotHaveBean("r8limiterClientIpResolver"));
    }

    @Test
    void applicationsEndpoint_andExtension_replaceTheStarters() {
        runner.withBean("ownEndpoint", RateLimitEndpoint.class, () -> new RateLimitEndpoint(otherLimiter(), null))
                .run(context -> assertThat(context)
                        .hasSingleBean(RateLimitEndpoint.class)
                        .hasBean("ownEndpoint")
                        .doesNotHaveBean("r8limiterEndpoint"));
        runner.withBean(
                        "ownExtension",
                        RateLimitEndpointWebExtension.class,
                        () -> new RateLimitEndpointWebExtension(new RateLimitEndpoint(otherLimiter(), null), "OWN"))
                .run(context -> assertThat(context)
                        .hasSingleBean(RateLimitEndpointWebExtension.class)
                        .hasBean("ownExtension"));
    }

    @Test
    void healthIndicatorNamedR8limiterHealthIndicator_replacesTheStarters() {
        onRedis.withBean(
                        "r8limiterHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.unknown().build())
                .run(context ->
                        assertThat(context).hasNotFailed().doesNotHaveBean(RateLimiterRedisHealthIndicator.class));
        onRedis.run(context -> assertThat(context).hasSingleBean(RateLimiterRedisHealthIndicator.class));
    }

    private static RateLimiter otherLimiter() {
        return RateLimiter.builder()
                .policies(Policy.of("other", Limit.perPeriod(1, Duration.ofSeconds(1))))
                .build();
    }
}
