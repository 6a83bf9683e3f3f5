package io.r8limiter.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.micrometer.RateLimiterMetrics;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisPolicyStore;
import io.r8limiter.redis.RedisStats;
import io.r8limiter.spring.actuate.RateLimitEndpoint;
import io.r8limiter.spring.actuate.RateLimiterEndpointAutoConfiguration;
import io.r8limiter.spring.actuate.RateLimiterHealthAutoConfiguration;
import io.r8limiter.spring.actuate.RateLimiterRedisHealthIndicator;
import io.r8limiter.stats.RateLimitStats;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/** The Redis backend wired from Boot's own settings, against a real Redis from the test kit. */
class RateLimiterRedisAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RateLimiterRedisAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterMetricsAutoConfiguration.class,
                    RateLimiterHealthAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.backend=redis",
                    "spring.data.redis.port=" + SharedRedis.standalone().port(),
                    "spring.data.redis.host=127.0.0.1",
                    "r8limiter.policies.api.limits[0].capacity=2",
                    "r8limiter.policies.api.limits[0].refill-period=1m");

    @BeforeEach
    void clean() {
        SharedRedis.flushAll();
    }

    @Test
    void redisBackend_isBuiltFromSpringDataRedisProperties_withoutSpringDataRedis() {
        runner.withClassLoader(new FilteredClassLoader(DataRedisConnectionDetails.class))
                .run(context -> {
                    RateLimiter limiter = context.getBean(RateLimiter.class);

                    Decision first = limiter.tryConsume("api", BucketKey.of("u1"));
                    limiter.tryConsume("api", BucketKey.of("u1"));
                    Decision third = limiter.tryConsume("api", BucketKey.of("u1"));

                    assertThat(context).getBean(UnifiedJedis.class).isInstanceOf(JedisPooled.class);
                    assertThat(context).getBean(RateLimitBackend.class).isInstanceOf(RedisBackend.class);
                    assertThat(context).getBean(PolicyStore.class).isInstanceOf(RedisPolicyStore.class);
                    assertThat(context).getBean(RateLimitStats.class).isInstanceOf(RedisStats.class);
                    assertThat(first.degraded()).isFalse();
                    assertThat(first.remaining()).isEqualTo(1);
                    assertThat(third.allowed()).isFalse();
                    assertThat(SharedRedis.standalone().jedis().keys("r8:*")).isNotEmpty();
                });
    }

    @Test
    void urlProperty_pointsTheClient() {
        runner.withClassLoader(new FilteredClassLoader(DataRedisConnectionDetails.class))
                .withPropertyValues(
                        "spring.data.redis.port=1",
                        "spring.data.redis.url=redis://127.0.0.1:"
                                + SharedRedis.standalone().port() + "/0",
                        "r8limiter.key-prefix=custom")
                .run(context -> {
                    context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of("u1"));

                    assertThat(SharedRedis.standalone().jedis().keys("custom:*"))
                            .isNotEmpty();
                });
    }

    @Test
    void bootsConnectionDetails_winWhenDataRedisIsPresent() {
        // Service connections (Testcontainers, Docker Compose) only exist as connection details, not properties.
        runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.port=1")
                .withBean(DataRedisConnectionDetails.class, () -> new DataRedisConnectionDetails() {
                    @Override
                    public Standalone getStandalone() {
                        return Standalone.of(
                                "127.0.0.1", SharedRedis.standalone().port());
                    }
                })
                .run(context -> {
                    Decision decision = context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of("u1"));

                    assertThat(decision.degraded()).isFalse();
                });
    }

    @Test
    void applicationsOwnJedisClients_areNeverTakenForTheLimiters() {
        // A back-off by type let any UnifiedJedis of the application (here two, to a dead port) replace the
        // limiter's client, or made startup fail on the ambiguity.
        runner.withBean("appJedis", JedisPooled.class, () -> new JedisPooled("127.0.0.1", 1))
                .withBean("otherJedis", JedisPooled.class, () -> new JedisPooled("127.0.0.1", 1))
                .run(context -> {
                    Decision decision = context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of("u1"));

                    assertThat(context).hasNotFailed().hasBean("r8limiterJedis");
                    assertThat(decision.degraded()).isFalse();
                    assertThat(SharedRedis.standalone().jedis().keys("r8:*")).isNotEmpty();
                    assertThat(context.getBean(RateLimiterRedisHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .isEqualTo(Status.UP);
                });
    }

    @Test
    void aBeanNamedR8limiterJedis_replacesTheLimitersClient() {
        runner.withPropertyValues("spring.data.redis.port=1")
                .withBean("r8limiterJedis", UnifiedJedis.class, () -> SharedRedis.standalone()
                        .pooled())
                .run(context -> {
                    Decision decision = context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of("u1"));

                    assertThat(context).hasSingleBean(UnifiedJedis.class);
                    assertThat(decision.degraded()).isFalse();
                });
    }

    @Test
    void healthIndicator_isUpWithTheCircuitState_andMetricsSeeTheCircuit() {
        runner.run(context -> {
            RateLimiterRedisHealthIndicator health = context.getBean(RateLimiterRedisHealthIndicator.class);

            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails())
                    .containsEntry("circuit", "closed")
                    .containsEntry("failureMode", "open")
                    .containsEntry("backend", "redis");
            assertThat(context).hasBean("r8limiterHealthIndicator").hasSingleBean(RateLimiterMetrics.class);
        });
    }

    @Test
    void redisDown_healthIsDown_andTheFailureModeAnswers() {
        RedisServerProcess own = RedisServerProcess.start();
        runner.withPropertyValues("spring.data.redis.port=" + own.port(), "r8limiter.failure-mode=closed")
                .run(context -> {
                    own.stop();
                    RateLimiter limiter = context.getBean(RateLimiter.class);

                    Decision decision = limiter.tryConsume("api", BucketKey.of("u1"));

                    assertThat(decision.degraded()).isTrue();
                    assertThat(decision.allowed()).isFalse();
                    var health = context.getBean(RateLimiterRedisHealthIndicator.class)
                            .health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails())
                            .containsEntry("failureMode", "closed")
                            .containsKey("circuit");
                });
    }

    @Test
    void memoryMode_hasNoRedisBeans_andNoHealthCheck() {
        runner.withPropertyValues("r8limiter.backend=memory").run(context -> assertThat(context)
                .doesNotHaveBean(UnifiedJedis.class)
                .doesNotHaveBean(RateLimiterRedisHealthIndicator.class));
    }

    @Test
    void overrideOnOneInstance_isInForceOnAnotherWithinASecond() {
        // C16 (starter): two applications on one Redis; an override set through one endpoint reaches the other.
        ApplicationContextRunner withEndpoint = runner.withConfiguration(AutoConfigurations.of(
                        EndpointAutoConfiguration.class, RateLimiterEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=ratelimit");
        withEndpoint.run(a -> withEndpoint.run(b -> {
            RateLimiter onB = b.getBean(RateLimiter.class);
            assertThat(onB.peek("api", BucketKey.of("u1")).limit()).isEqualTo(2);

            long start = System.nanoTime();
            a.getBean(RateLimitEndpoint.class).setOverride("api", "5/1m", null);

            await().atMost(Duration.ofMillis(1000))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> onB.peek("api", BucketKey.of("u1")).limit() == 5);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("C16 override propagation: " + millis + " ms");
            for (int i = 0; i < 5; i++) {
                assertThat(onB.tryConsume("api", BucketKey.of("u1")).allowed()).isTrue();
            }
            assertThat(onB.tryConsume("api", BucketKey.of("u1")).allowed()).isFalse();
        }));
    }

    @Test
    void fasterRateSetOnB_reachesADrainedBucketOnA_andARaisedLimitGivesItsFullCapacity() {
        // C16 steps 2 and 4: the state stored on Redis must not pin the rate it was written under, and a raised
        // limit must not stop at the old capacity.
        ApplicationContextRunner withEndpoint = runner.withConfiguration(AutoConfigurations.of(
                        EndpointAutoConfiguration.class, RateLimiterEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=ratelimit");
        withEndpoint.run(a -> withEndpoint.run(b -> {
            RateLimiter onA = a.getBean(RateLimiter.class);
            RateLimiter onB = b.getBean(RateLimiter.class);
            setAndAwait(a, b, "5/1m");
            assertThat(drain(onA, "u2", 6)).isEqualTo(5);

            setAndAwait(b, a, "5:5/1s");
            Thread.sleep(2_000);
            Decision[] run = consume(onA, "u2", 6);

            assertThat(run).filteredOn(Decision::allowed).hasSize(5);
            assertThat(run[5].allowed()).isFalse();
            assertThat(run[5].retryAfterMillis()).isBetween(1L, 200L);
            assertThat(run).allSatisfy(d -> assertThat(d.limit()).isEqualTo(5));

            setAndAwait(a, b, "50/1m");
            Decision[] raised = consume(onB, "u4", 60);

            assertThat(Arrays.stream(raised, 0, 50))
                    .allSatisfy(d -> assertThat(d.allowed()).isTrue());
            assertThat(raised).filteredOn(Decision::allowed).hasSizeBetween(50, 51);
            assertThat(raised).allSatisfy(d -> assertThat(d.limit()).isEqualTo(50));
        }));
    }

    /** Sets the override through {@code from}'s endpoint and waits until {@code to} decides with it. */
    private static void setAndAwait(ApplicationContext from, ApplicationContext to, String limits) {
        from.getBean(RateLimitEndpoint.class).setOverride("api", limits, null);
        List<Limit> set =
                from.getBean(RateLimiter.class).policies().require("api").limits();
        RateLimiter other = to.getBean(RateLimiter.class);
        await().atMost(Duration.ofMillis(1000))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> other.policies().require("api").limits().equals(set));
    }

    private static int drain(RateLimiter limiter, String user, int requests) {
        return (int) Arrays.stream(consume(limiter, user, requests))
                .filter(Decision::allowed)
                .count();
    }

    private static Decision[] consume(RateLimiter limiter, String user, int requests) {
        Decision[] decisions = new Decision[requests];
        for (int i = 0; i < requests; i++) {
            decisions[i] = limiter.tryConsume("api", BucketKey.of(user));
        }
        return decisions;
    }
}
