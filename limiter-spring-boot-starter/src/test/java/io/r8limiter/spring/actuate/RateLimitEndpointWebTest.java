package io.r8limiter.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;

/** The endpoint tests on the in-memory backend, with the test app's frozen clock. */
@ActiveProfiles("webapp")
class RateLimitEndpointWebTest extends AbstractEndpointWebTest {

    @Test
    void memoryBackend_hasNoHealthContributor() {
        assertThat(context.getBeanNamesForType(RateLimiterRedisHealthIndicator.class))
                .isEmpty();
    }

    @Override
    int directCallers() {
        return 10_000;
    }

    @Override
    void assertBackendMeters(MeterRegistry registry) {
        assertThat(registry.find("r8limiter.memory.keys").gauge()).isNotNull();
        assertThat(registry.find("r8limiter.circuit.state").gauges()).isEmpty();
    }
}
