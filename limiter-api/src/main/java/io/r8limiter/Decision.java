package io.r8limiter;

import io.r8limiter.internal.BucketMath;
import io.r8limiter.internal.OneLimit;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one request for tokens, or the state shown by a peek.
 *
 * <p>The headline figures describe the tightest limit: the one with the fewest whole tokens left, ties going to the
 * one with the longer reset. {@link #limits()} carries every limit's own figures. A degraded decision was made by the
 * failure mode because the backend could not answer: its figures are not real and adapters do not advertise them.
 *
 * @param allowed whether the tokens were granted (and debited from every limit)
 * @param remaining whole tokens left in the tightest limit after this decision, rounded down
 * @param resetMillis milliseconds until the tightest limit is full again, rounded up; 0 when full
 * @param retryAfterMillis 0 when allowed; otherwise milliseconds until the cost fits every limit, rounded up, at
 *     least 1
 * @param limit the capacity of the tightest limit
 * @param degraded whether the failure mode answered instead of the backend
 * @param limits each limit's figures, in the policy's order
 * @since 0.1
 */
public record Decision(
        boolean allowed,
        long remaining,
        long resetMillis,
        long retryAfterMillis,
        long limit,
        boolean degraded,
        List<LimitStatus> limits) {

    public Decision {
        limits = limits instanceof OneLimit ? limits : List.copyOf(limits);
    }

    /**
     * Each limit's figures, in the policy's order. For a single-limit policy the engines store only the headline
     * figures (they are that limit's), and the list is derived here.
     */
    @Override
    public List<LimitStatus> limits() {
        if (limits instanceof OneLimit one) {
            return List.of(new LimitStatus(one.limit(), remaining, resetMillis, retryAfterMillis));
        }
        return limits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decision d
                && d.allowed == allowed
                && d.remaining == remaining
                && d.resetMillis == resetMillis
                && d.retryAfterMillis == retryAfterMillis
                && d.limit == limit
                && d.degraded == degraded
                && d.limits().equals(limits());
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowed, remaining, resetMillis, retryAfterMillis, limit, degraded, limits());
    }

    @Override
    public String toString() {
        return "Decision[allowed=" + allowed + ", remaining=" + remaining + ", resetMillis=" + resetMillis
                + ", retryAfterMillis=" + retryAfterMillis + ", limit=" + limit + ", degraded=" + degraded
                + ", limits=" + limits() + "]";
    }

    /** Whether the decision denied the request. */
    public boolean denied() {
        return !allowed;
    }

    /** This decision flagged as degraded. */
    public Decision asDegraded() {
        return degraded ? this : new Decision(allowed, remaining, resetMillis, retryAfterMillis, limit, true, limits);
    }

    /** This decision turned into an allowance, as a shadow policy answers. */
    public Decision asAllowed() {
        return allowed ? this : new Decision(true, remaining, resetMillis, 0, limit, degraded, limits());
    }

    /**
     * A decision made without a backend, as the OPEN and CLOSED failure modes answer: an allowance with the
     * policy's full capacity, or a denial asking to retry after the tightest limit's time for one token.
     */
    public static Decision degraded(Policy policy, boolean allowed) {
        Limit tightest = policy.limits().get(0);
        for (Limit l : policy.limits()) {
            if (l.capacity() < tightest.capacity()) {
                tightest = l;
            }
        }
        long oneToken = BucketMath.millisToFill(1, tightest.refillTokens(), tightest.refillPeriodMillis());
        long retry = allowed ? 0 : Math.max(1, oneToken);
        return new Decision(allowed, 0, 0, retry, tightest.capacity(), true, List.of());
    }
}
