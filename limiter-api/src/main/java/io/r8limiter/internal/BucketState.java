package io.r8limiter.internal;

import io.r8limiter.Decision;
import io.r8limiter.LimitStatus;
import io.r8limiter.Policy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable snapshot of one bucket: the deficit of each limit, in that limit's units, as of {@code timeMicros},
 * and the arithmetic it was written under (so a policy change can convert it).
 *
 * <p>{@link #decide} is the whole token-bucket rule: refill for the time elapsed, check every limit, debit all or
 * none, and report the figures of the tightest limit. Engines with a faster path for single-limit policies (see
 * {@link PolicyMath#fullAtFits}) fall back to it for several limits and convert their state through it when a policy
 * changes.
 */
public final class BucketState {

    private final PolicyMath math;
    private final long timeMicros;
    private final long[] deficits;

    BucketState(PolicyMath math, long timeMicros, long[] deficits) {
        this.math = math;
        this.timeMicros = timeMicros;
        this.deficits = deficits;
    }

    /** A snapshot of {@code deficits} (not copied: the caller hands it over) written under {@code math}. */
    public static BucketState of(PolicyMath math, long timeMicros, long[] deficits) {
        return new BucketState(math, timeMicros, deficits);
    }

    /** The time of the last debit, in microseconds of the engine's clock. */
    public long timeMicros() {
        return timeMicros;
    }

    /** The outcome of one decision: what to answer and, when tokens were taken, the state to store. */
    public record Outcome(Decision decision, BucketState next) {}

    /**
     * Decides a request for {@code cost} tokens against {@code state} ({@code null} is a full bucket) at
     * {@code nowMicros}. When {@code consume} is false nothing is debited and {@code next} is {@code null}, as for a
     * peek; a denial never produces a next state either.
     */
    public static Outcome decide(Policy policy, BucketState state, long nowMicros, long cost, boolean consume) {
        PolicyMath m = policy.math();
        int n = m.size();
        long[] d = deficitsAt(m, state, nowMicros);
        boolean fits = true;
        for (int i = 0; i < n; i++) {
            fits &= d[i] + cost * m.unitsPerToken(i) <= m.fullDeficit(i);
        }
        boolean take = fits && consume;
        if (take) {
            for (int i = 0; i < n; i++) {
                d[i] += cost * m.unitsPerToken(i);
            }
        }
        Decision decision = report(policy, d, cost, fits);
        long time = state == null ? nowMicros : Math.max(state.timeMicros, nowMicros);
        return new Outcome(decision, take ? new BucketState(m, time, d) : null);
    }

    /** Whether every limit is full at {@code nowMicros}, so the state carries no information. */
    public boolean isFullAt(long nowMicros) {
        long elapsed = nowMicros - timeMicros;
        for (int i = 0; i < deficits.length; i++) {
            if (BucketMath.refill(deficits[i], elapsed, math.unitsPerMicro(i)) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The deficits of {@code state} ({@code null} is a full bucket) refilled up to {@code nowMicros} and expressed
     * under {@code m}: a fresh array the caller owns. After a policy change each limit continues the stored limit
     * {@link LimitMatch} pairs it with, whatever their positions; a limit with no partner starts full.
     */
    public static long[] deficitsAt(PolicyMath m, BucketState state, long nowMicros) {
        long[] d = new long[m.size()];
        if (state == null) {
            return d;
        }
        long elapsed = Math.max(0, nowMicros - state.timeMicros);
        int[] from = state.math == m ? null : LimitMatch.sources(state.math, m);
        for (int i = 0; i < d.length; i++) {
            d[i] = BucketMath.refill(storedDeficit(state, from, m, i), elapsed, m.unitsPerMicro(i));
        }
        return d;
    }

    /** The stored deficit limit {@code i} of {@code m} continues: its own, a converted partner's, or none. */
    private static long storedDeficit(BucketState state, int[] from, PolicyMath m, int i) {
        if (from == null) {
            return state.deficits[i];
        }
        return from[i] < 0 ? 0 : convert(state, from[i], m, i);
    }

    /**
     * The deficit of stored limit {@code j} re-expressed as limit {@code i} of the new arithmetic: the same fraction
     * of a token missing per token, rounded up (so a change never grants a partial token), and never more than an
     * empty bucket.
     */
    private static long convert(BucketState state, int j, PolicyMath m, int i) {
        long oldPerToken = state.math.unitsPerToken(j);
        long newPerToken = m.unitsPerToken(i);
        if (oldPerToken == newPerToken) {
            return Math.min(state.deficits[j], m.fullDeficit(i));
        }
        BigInteger[] qr = BigInteger.valueOf(state.deficits[j])
                .multiply(BigInteger.valueOf(newPerToken))
                .divideAndRemainder(BigInteger.valueOf(oldPerToken));
        BigInteger converted = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return converted.min(BigInteger.valueOf(m.fullDeficit(i))).longValueExact();
    }

    private static Decision report(Policy policy, long[] d, long cost, boolean allowed) {
        PolicyMath m = policy.math();
        if (m.single()) {
            return allowed ? m.allowance(d[0]) : m.denial(d[0], cost);
        }
        List<LimitStatus> statuses = new ArrayList<>(d.length);
        int tightest = 0;
        long retry = 0;
        for (int i = 0; i < d.length; i++) {
            long remaining = BucketMath.wholeTokens(m.capacity(i), d[i], m.unitsPerToken(i));
            long reset = BucketMath.millisUntilRefilled(d[i], m.unitsPerMicro(i));
            long lacking = d[i] + cost * m.unitsPerToken(i) - m.fullDeficit(i);
            long wait = allowed ? 0 : BucketMath.millisUntilRefilled(lacking, m.unitsPerMicro(i));
            statuses.add(new LimitStatus(policy.limits().get(i), remaining, reset, wait));
            retry = Math.max(retry, wait);
            LimitStatus best = statuses.get(tightest);
            if (remaining < best.remaining() || (remaining == best.remaining() && reset > best.resetMillis())) {
                tightest = i;
            }
        }
        LimitStatus t = statuses.get(tightest);
        return new Decision(
                allowed, t.remaining(), t.resetMillis(), retry, t.limit().capacity(), false, statuses);
    }
}
