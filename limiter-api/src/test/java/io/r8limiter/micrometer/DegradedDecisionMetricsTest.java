package io.r8limiter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r8limiter.BucketKey;
import io.r8limiter.FailureMode;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** C15's metrics: against a Redis port where nothing listens, every decision is counted degraded, by outcome. */
class DegradedDecisionMetricsTest {

    private static final Policy POLICY = Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1)));

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void unreachableRedis_countsEveryDecisionDegraded_andTheCircuitOpens_C15(FailureMode mode) throws IOException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JedisPooled dead =
                RedisClients.standalone(new HostAndPort("127.0.0.1", freePort()), Duration.ofMillis(200))) {
            RedisBackend backend =
                    RedisBackend.builder().jedis(dead).failureMode(mode).build();
            RateLimiterMetrics metrics =
                    new RateLimiterMetrics(backend, () -> backend.circuitState().tag());
            metrics.bindTo(registry);
            RateLimiter limiter = RateLimiter.builder()
                    .backend(backend)
                    .policies(POLICY)
                    .listener(metrics)
                    .build();

            for (int i = 0; i < 20; i++) {
                limiter.tryConsume("p", BucketKey.of("u1", "r1"));
            }
        }

        long allowed = mode == FailureMode.OPEN ? 20 : mode == FailureMode.LOCAL ? 5 : 0;
        assertThat(count(registry, "allowed", true)).isEqualTo(allowed);
        assertThat(count(registry, "denied", true)).isEqualTo(20 - allowed);
        assertThat(count(registry, "allowed", false) + count(registry, "denied", false))
                .isZero();
        assertThat(registry.get(RateLimiterMetrics.LATENCY).timer().count()).isEqualTo(20);
        assertThat(gauge(registry, "open")).isEqualTo(1);
        assertThat(gauge(registry, "closed")).isZero();
    }

    private static double count(SimpleMeterRegistry registry, String outcome, boolean degraded) {
        return registry.get(RateLimiterMetrics.DECISIONS)
                .tag("policy", "p")
                .tag("outcome", outcome)
                .tag("degraded", Boolean.toString(degraded))
                .counter()
                .count();
    }

    private static double gauge(SimpleMeterRegistry registry, String state) {
        return registry.get(RateLimiterMetrics.CIRCUIT)
                .tag("state", state)
                .gauge()
                .value();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
