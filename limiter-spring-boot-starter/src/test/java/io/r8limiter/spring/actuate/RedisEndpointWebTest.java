package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.r8limiter.spring.testapp.SharedRedisInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/** The endpoint tests on the Redis backend: overrides and statistics live on the shared Redis server. */
@ActiveProfiles({"webapp", "redis"})
@ContextConfiguration(initializers = SharedRedisInitializer.class)
class RedisEndpointWebTest extends AbstractEndpointWebTest {

    @Test
    void redisBackend_hasAHealthContributor_thatIsUp() {
        assertThat(context.getBean(RateLimiterRedisHealthIndicator.class)
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);
    }

    /**
     * Fewer than in memory: statistics reads share the limiter's 200 ms Redis timeout, and tens of thousands of
     * offenders make the summary read slower than that on a busy machine.
     */
    @Override
    int directCallers() {
        return 1_000;
    }

    @Override
    void assertBackendMeters(MeterRegistry registry) {
        // The circuit gauge is 1 for the state the breaker is in and 0 for the others.
        assertThat(registry.get("r8limiter.circuit.state")
                        .tag("state", "closed")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("r8limiter.circuit.state")
                        .tag("state", "open")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.find("r8limiter.memory.keys").gauge()).isNull();
    }
}
