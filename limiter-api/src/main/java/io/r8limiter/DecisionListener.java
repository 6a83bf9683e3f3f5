package io.r8limiter;

/**
 * Hears every decision a {@link RateLimiter} makes, for metrics and statistics. Called on the deciding thread after
 * the decision is made; it must be quick, and an exception it throws is logged and ignored, never breaking the
 * decision.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DecisionListener {

    /**
     * The {@code backendNanos} of a decision that was not timed. Decisions on a remote backend are always timed;
     * in-memory decisions, which take about as long as the clock reads that would time them, are sampled.
     */
    long NOT_TIMED = -1;

    /**
     * One decision.
     *
     * @param policy the policy that decided
     * @param key the bucket's key
     * @param decision the decision as the backend made it (a shadow policy's denial is still a denial here)
     * @param backendNanos time spent in the backend, or {@link #NOT_TIMED}
     */
    void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos);
}
