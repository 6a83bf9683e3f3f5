package io.r8limiter.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Locale;

/**
 * The state of the Redis backend's circuit breaker, as metrics and health checks show it.
 *
 * @since 0.1
 */
public enum CircuitState {
    /** Redis answers; every decision goes to it. */
    CLOSED,
    /** Redis failed too often; decisions go straight to the failure mode until a trial is due. */
    OPEN,
    /** A few trial decisions go to Redis; their outcome closes or reopens the circuit. */
    HALF_OPEN;

    /** The lower-case name used as a metric tag: {@code closed}, {@code open} or {@code half_open}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static CircuitState of(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> OPEN;
            case HALF_OPEN -> HALF_OPEN;
            default -> CLOSED;
        };
    }
}
