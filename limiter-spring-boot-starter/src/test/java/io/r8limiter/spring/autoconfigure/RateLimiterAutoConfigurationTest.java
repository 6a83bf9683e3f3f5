package io.r8limiter.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.LocalPolicyStore;
import io.r8limiter.Policy;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.micrometer.RateLimiterMetrics;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.UnifiedJedis;

class RateLimiterAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RateLimiterRedisAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterMetricsAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.policies.api.limits[0].capacity=5", "r8limiter.policies.api.limits[0].refill-period=1m");

    @Test
    void defaults_decideInMemoryWithTheConfiguredPolicies() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RateLimiter.class).hasBean("r8limiter");
            assertThat(context).getBean(RateLimitBackend.class).isInstanceOf(MemoryBackend.class);
            assertThat(context).getBean("r8limiterPolicyStore").isInstanceOf(LocalPolicyStore.class);
            assertThat(context).doesNotHaveBean(UnifiedJedis.class);

            Decision decision = context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of("u1"));

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(4);
            assertThat(decision.limit()).isEqualTo(5);
        });
    }

    @Test
    void statsDisabled_leaveNoStatsBean_andTheLimiterStillDecides() {
        runner.withPropertyValues("r8limiter.stats.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(RateLimitStats.class);

            assertThat(context.getBean(RateLimiter.class)
                            .tryConsume("api", BucketKey.of("u1"))
                            .allowed())
                    .isTrue();
        });
    }

    @Test
    void decisions_reachTheMetricsAndStats() {
        runner.run(context -> {
            RateLimiter limiter = context.getBean(RateLimiter.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(RateLimiterMetrics.class).bindTo(registry);

            limiter.tryConsume("api", BucketKey.of("u1"));

            assertThat(registry.get("r8limiter.decisions")
                            .tags("policy", "api", "outcome", "allowed")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(context.getBean(RateLimitStats.class).totals().allowed()).isEqualTo(1);
            assertThat(context).getBean("r8limiterStats").isInstanceOf(LocalStats.class);
        });
    }

    @Test
    void withoutMicrometer_theMetricsBackOff_andTheLimiterStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasSingleBean(RateLimiter.class).doesNotHaveBean("r8limiterMetrics");
            assertThat(context.getBean(RateLimiter.class)
                            .tryConsume("api", BucketKey.of("u1"))
                            .allowed())
                    .isTrue();
        });
    }

    @Test
    void userMetrics_replaceTheStartersOwn() {
        runner.withBean(
                        "myMetrics",
                        RateLimiterMetrics.class,
                        () -> new RateLimiterMetrics(new MemoryBackend(System::nanoTime), null))
                .run(context -> assertThat(context)
                        .hasSingleBean(RateLimiterMetrics.class)
                        .hasBean("myMetrics"));
    }

    @Test
    void memoryMaxKeys_capsTheLiveBuckets() {
        // The property was bound but a backend built without it would hold a million keys whatever was set.
        runner.withPropertyValues("r8limiter.memory.max-keys=2").run(context -> {
            RateLimiter limiter = context.getBean(RateLimiter.class);

            limiter.tryConsume("api", BucketKey.of("u1"));
            limiter.tryConsume("api", BucketKey.of("u2"));
            Decision third = limiter.tryConsume("api", BucketKey.of("u3"));

            assertThat(third.allowed()).isFalse();
            assertThat(context.getBean(MemoryBackend.class).size()).isEqualTo(2);
        });
    }

    @Test
    void refillTokens_defaultToTheCapacity_andPeriodsBindAsDurations() {
        runner.withPropertyValues(
                        "r8limiter.policies.two.limits[0].capacity=10",
                        "r8limiter.policies.two.limits[0].refill-tokens=1",
                        "r8limiter.policies.two.limits[0].refill-period=500ms",
                        "r8limiter.policies.two.limits[1].capacity=100",
                        "r8limiter.policies.two.limits[1].refill-period=1h",
                        "r8limiter.policies.two.shadow=true")
                .run(context -> {
                    Policy two = context.getBean(PolicyStore.class).require("two");

                    assertThat(two.limits().get(0).refillTokens()).isEqualTo(1);
                    assertThat(two.limits().get(0).refillPeriod()).isEqualTo(Duration.ofMillis(500));
                    assertThat(two.limits().get(1).refillTokens()).isEqualTo(100);
                    assertThat(two.limits().get(1).refillPeriod()).isEqualTo(Duration.ofHours(1));
                    assertThat(two.shadow()).isTrue();
                });
    }

    @Test
    void capacityAboveIntRange_bindsExactly() {
        // C08 run 1: a daily quota of three billion must not be truncated to an int anywhere on the way.
        runner.withPropertyValues(
                        "r8limiter.policies.daily.limits[0].capacity=3000000000",
                        "r8limiter.policies.daily.limits[0].refill-tokens=3000000000",
                        "r8limiter.policies.daily.limits[0].refill-period=86400000")
                .run(context -> {
                    RateLimiter limiter = context.getBean(RateLimiter.class);

                    Decision decision = limiter.tryConsume("daily", BucketKey.of("u1"));

                    assertThat(context.getBean(PolicyStore.class)
                                    .require("daily")
                                    .limits()
                                    .get(0)
                                    .capacity())
                            .isEqualTo(3_000_000_000L);
                    assertThat(decision.allowed()).isTrue();
                    assertThat(decision.remaining()).isEqualTo(2_999_999_999L);
                    assertThat(decision.limit()).isEqualTo(3_000_000_000L);
                    assertThat(decision.resetMillis()).isEqualTo(1);
                });
    }

    @Test
    void zeroCapacity_failsStartupNamingThePropertyAndValue() {
        // C07: capacity 0 once meant "unlimited" elsewhere; here the context must refuse to start.
        runner.withPropertyValues(
                        "r8limiter.policies.bad.limits[0].capacity=0",
                        "r8limiter.policies.bad.limits[0].refill-period=1s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessage("r8limiter.policies.bad.limits[0].capacity must be positive but was 0"));
    }

    @Test
    void zeroRefillTokens_failsStartupNamingThePropertyAndValue() {
        runner.withPropertyValues(
                        "r8limiter.policies.bad.limits[0].capacity=10",
                        "r8limiter.policies.bad.limits[0].refill-tokens=0",
                        "r8limiter.policies.bad.limits[0].refill-period=1s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("r8limiter.policies.bad.limits[0].refill-tokens must be positive but was 0"));
    }

    @Test
    void zeroOrNegativePeriod_failsStartupNamingThePropertyAndValue() {
        runner.withPropertyValues(
                        "r8limiter.policies.bad.limits[0].capacity=10",
                        "r8limiter.policies.bad.limits[0].refill-period=0")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("r8limiter.policies.bad.limits[0].refill-period must be between")
                        .hasMessageContaining("but was 0ms"));
        runner.withPropertyValues(
                        "r8limiter.policies.bad.limits[0].capacity=10",
                        "r8limiter.policies.bad.limits[0].refill-period=-1000ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("refill-period")
                        .hasMessageContaining("-1000ms"));
    }

    @Test
    void negativeCapacity_failsStartupNamingThePropertyAndValue() {
        runner.withPropertyValues(
                        "r8limiter.policies.bad.limits[0].capacity=-1",
                        "r8limiter.policies.bad.limits[0].refill-period=1s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("r8limiter.policies.bad.limits[0].capacity must be positive but was -1"));
    }

    @Test
    void capacityBeyondLong_orNotANumber_failsBindingNamingThePropertyAndValue() {
        // C07 f and g: Boot's binder rejects what does not fit a long, naming the property and the value.
        for (String value : new String[] {"99999999999999999999", "ten", "1.5"}) {
            runner.withPropertyValues(
                            "r8limiter.policies.bad.limits[0].capacity=" + value,
                            "r8limiter.policies.bad.limits[0].refill-period=1s")
                    .run(context -> assertThat(context)
                            .getFailure()
                            .hasStackTraceContaining(
                                    "Failed to bind properties under" + " 'r8limiter.policies.bad.limits[0].capacity'")
                            .hasStackTraceContaining("[" + value + "]"));
        }
    }

    @Test
    void missingCapacityOrPeriod_failsStartupNamingTheProperty() {
        runner.withPropertyValues("r8limiter.policies.bad.limits[0].refill-period=1s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("r8limiter.policies.bad.limits[0].capacity must be set"));
        runner.withPropertyValues("r8limiter.policies.bad.limits[0].capacity=3").run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageStartingWith("r8limiter.policies.bad.limits[0].refill-period must be set"));
    }

    @Test
    void userBeans_winOverTheStartersOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(RateLimitBackend.class).hasSingleBean(PolicyStore.class);
            assertThat(context.getBean(RateLimitBackend.class)).isSameAs(OwnBeans.BACKEND);
            assertThat(context.getBean(PolicyStore.class).find("own")).isPresent();
            assertThat(context.getBean(PolicyStore.class).find("api")).isEmpty();
        });
    }

    @Test
    void userLimiter_replacesTheStartersLimiter() {
        runner.withBean("myLimiter", RateLimiter.class, () -> RateLimiter.builder()
                        .policies(Policy.of("mine", io.r8limiter.Limit.perPeriod(1, Duration.ofSeconds(1))))
                        .build())
                .run(context ->
                        assertThat(context).hasSingleBean(RateLimiter.class).hasBean("myLimiter"));
    }

    @Test
    void redisBackend_withoutJedis_failsStartupWithTheFix() {
        runner.withPropertyValues("r8limiter.backend=redis")
                .withClassLoader(new FilteredClassLoader(UnifiedJedis.class))
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessage("r8limiter.backend=redis needs redis.clients:jedis and"
                                + " io.github.resilience4j:resilience4j-circuitbreaker on the classpath; add them or"
                                + " set r8limiter.backend=memory"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final RateLimitBackend BACKEND = new MemoryBackend(System::nanoTime);

        @Bean
        RateLimitBackend ownBackend() {
            return BACKEND;
        }

        @Bean
        PolicyStore ownStore() {
            return LocalPolicyStore.of(Policy.of("own", io.r8limiter.Limit.perPeriod(1, Duration.ofSeconds(1))));
        }
    }
}
