package io.r8limiter.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.RateLimiter;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.RedisSentinelGroup;
import io.r8limiter.testkit.SharedRedis;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sentinel and Cluster configured the Spring Boot way, {@code spring.data.redis.sentinel.*} and
 * {@code spring.data.redis.cluster.nodes}, deciding against real servers: read by the starter itself, and through
 * Boot's connection details when its data-redis module is present.
 */
class RedisTopologyAutoConfigurationTest {

    private static RedisSentinelGroup sentinels;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RateLimiterRedisAutoConfiguration.class, RateLimiterAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.backend=redis",
                    "r8limiter.redis.timeout=2s",
                    "r8limiter.policies.api.limits[0].capacity=2",
                    "r8limiter.policies.api.limits[0].refill-period=1m");

    private final ApplicationContextRunner withoutDataRedis =
            runner.withClassLoader(new FilteredClassLoader(DataRedisConnectionDetails.class));

    private final ApplicationContextRunner withDataRedis =
            runner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    @BeforeAll
    static void start() {
        sentinels = RedisSentinelGroup.start();
    }

    @AfterAll
    static void stop() {
        sentinels.close();
    }

    @Test
    void clusterNodes_decideOnTheCluster() {
        withoutDataRedis.withPropertyValues(clusterNodes()).run(context -> assertDecidesOnTheCluster(context));
    }

    @Test
    void clusterNodes_decideOnTheCluster_throughBootsConnectionDetails() {
        withDataRedis.withPropertyValues(clusterNodes()).run(context -> assertDecidesOnTheCluster(context));
    }

    @Test
    void sentinelSettings_decideOnThePrimary() {
        withoutDataRedis.withPropertyValues(sentinelSettings()).run(context -> assertDecidesOnThePrimary(context));
    }

    @Test
    void sentinelSettings_decideOnThePrimary_throughBootsConnectionDetails() {
        withDataRedis.withPropertyValues(sentinelSettings()).run(context -> assertDecidesOnThePrimary(context));
    }

    @Test
    void sentinelAndClusterBothSet_sentinelWins_asInBoot() {
        withoutDataRedis
                .withPropertyValues(sentinelSettings())
                .withPropertyValues(clusterNodes())
                .run(context -> assertDecidesOnThePrimary(context));
    }

    private static void assertDecidesOnTheCluster(ApplicationContext context) {
        String user = "cluster-" + System.nanoTime();

        Decision first = context.getBean(RateLimiter.class).tryConsume("api", BucketKey.of(user));

        assertThat(context.getBean("r8limiterJedis", UnifiedJedis.class)).isInstanceOf(JedisCluster.class);
        assertThat(first.degraded()).isFalse();
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(SharedRedis.cluster().dbSize()).isPositive();
    }

    private static void assertDecidesOnThePrimary(ApplicationContext context) {
        String user = "sentinel-" + System.nanoTime();
        RateLimiter limiter = context.getBean(RateLimiter.class);

        limiter.tryConsume("api", BucketKey.of(user));
        limiter.tryConsume("api", BucketKey.of(user));
        Decision third = limiter.tryConsume("api", BucketKey.of(user));

        assertThat(context.getBean("r8limiterJedis", UnifiedJedis.class)).isInstanceOf(JedisSentineled.class);
        assertThat(third.degraded()).isFalse();
        assertThat(third.allowed()).isFalse();
        assertThat(sentinels.primary().jedis().keys("r8:*")).isNotEmpty();
    }

    private static String clusterNodes() {
        RedisClusterProcess cluster = SharedRedis.cluster();
        return "spring.data.redis.cluster.nodes="
                + cluster.hostAndPorts().stream().map(HostAndPort::toString).collect(Collectors.joining(","));
    }

    private static String[] sentinelSettings() {
        return new String[] {
            "spring.data.redis.sentinel.master=" + sentinels.masterName(),
            "spring.data.redis.sentinel.nodes="
                    + sentinels.sentinelHostAndPorts().stream()
                            .map(HostAndPort::toString)
                            .collect(Collectors.joining(","))
        };
    }
}
