package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class TransportTest {

    @Test
    void closedByPeer_isTrueOnlyForAConnectionTheServerEnded() {
        assertThat(Transport.closedByPeer(new JedisConnectionException("Unexpected end of stream.")))
                .isTrue();
        assertThat(Transport.closedByPeer(new JedisConnectionException(new SocketException("Connection reset"))))
                .isTrue();
        assertThat(Transport.closedByPeer(new JedisConnectionException(new SocketException("Broken pipe"))))
                .isTrue();
    }

    @Test
    void closedByPeer_isFalseForATimeout_whichMayHaveRunTheScript() {
        assertThat(Transport.closedByPeer(new JedisConnectionException(new SocketTimeoutException("Read timed out"))))
                .isFalse();
        assertThat(Transport.closedByPeer(new JedisConnectionException(new ConnectException("Connection refused"))))
                .isFalse();
    }

    @Test
    void circuitState_tagsAreLowerCase() {
        assertThat(CircuitState.of(CircuitBreaker.State.HALF_OPEN).tag()).isEqualTo("half_open");
        assertThat(CircuitState.of(CircuitBreaker.State.FORCED_OPEN)).isEqualTo(CircuitState.OPEN);
        assertThat(CircuitState.of(CircuitBreaker.State.DISABLED)).isEqualTo(CircuitState.CLOSED);
    }
}
