package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void circuitState_tagsAreLowerCase() {
        assertThat(CircuitState.of(CircuitBreaker.State.HALF_OPEN).tag()).isEqualTo("half_open");
        assertThat(CircuitState.of(CircuitBreaker.State.FORCED_OPEN)).isEqualTo(CircuitState.OPEN);
        assertThat(CircuitState.of(CircuitBreaker.State.DISABLED)).isEqualTo(CircuitState.CLOSED);
    }
}
