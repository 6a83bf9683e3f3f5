package io.r8limiter.stats;

/**
 * Decision counts of one policy, or of all of them.
 *
 * @param allowed decisions that granted the tokens
 * @param denied decisions that refused them (a shadow policy's denials included)
 * @param degraded decisions made by a failure mode because the backend could not answer; each is also counted as
 *     allowed or denied
 * @since 0.1
 */
public record Counts(long allowed, long denied, long degraded) {

    /** No decisions. */
    public static final Counts ZERO = new Counts(0, 0, 0);

    /** Every decision: allowed plus denied. */
    public long total() {
        return allowed + denied;
    }

    /** These counts and {@code other} added up. */
    public Counts plus(Counts other) {
        return new Counts(allowed + other.allowed, denied + other.denied, degraded + other.degraded);
    }
}
