package io.r8limiter.internal;

import io.r8limiter.Decision;
import io.r8limiter.Limit;
import java.util.List;

/**
 * The per-limit constants of a policy, computed once: capacity, units per microsecond and units per token (see
 * {@link BucketMath}). Arrays are shared, never modified after construction.
 *
 * <p>For a single-limit policy it also answers the whole decision without allocating anything but the
 * {@link Decision}: {@link #refilled}, {@link #allowance} and {@link #denial} use constants derived once so that the
 * common path needs at most two divisions and no overflow check.
 */
public final class PolicyMath {

    private final long[] capacity;
    private final long[] unitsPerMicro;
    private final long[] unitsPerToken;
    private final long maxCost;
    private final OneLimit one;
    private final long fillMicros;
    private final long unitsPerMilli;

    private PolicyMath(List<Limit> limits, long[] capacity, long[] unitsPerMicro, long[] unitsPerToken) {
        this.capacity = capacity;
        this.unitsPerMicro = unitsPerMicro;
        this.unitsPerToken = unitsPerToken;
        long min = Long.MAX_VALUE;
        for (long c : capacity) {
            min = Math.min(min, c);
        }
        this.maxCost = min;
        this.one = limits.size() == 1 ? new OneLimit(limits.get(0)) : null;
        this.fillMicros = BucketMath.ceilDiv(fullDeficit(0), unitsPerMicro[0]);
        this.unitsPerMilli = unitsPerMicro[0] * 1_000;
    }

    /** Computes the constants of {@code limits}. */
    public static PolicyMath of(List<Limit> limits) {
        int n = limits.size();
        long[] capacity = new long[n];
        long[] perMicro = new long[n];
        long[] perToken = new long[n];
        for (int i = 0; i < n; i++) {
            Limit limit = limits.get(i);
            capacity[i] = limit.capacity();
            perMicro[i] = BucketMath.unitsPerMicro(limit.refillTokens(), limit.refillPeriodMillis());
            perToken[i] = BucketMath.unitsPerToken(limit.refillTokens(), limit.refillPeriodMillis());
        }
        return new PolicyMath(limits, capacity, perMicro, perToken);
    }

    public int size() {
        return capacity.length;
    }

    /** Whether the policy has exactly one limit, so the single-limit methods apply. */
    public boolean single() {
        return one != null;
    }

    public long capacity(int i) {
        return capacity[i];
    }

    public long unitsPerMicro(int i) {
        return unitsPerMicro[i];
    }

    public long unitsPerToken(int i) {
        return unitsPerToken[i];
    }

    /** Deficit of an empty bucket of limit {@code i}. */
    public long fullDeficit(int i) {
        return capacity[i] * unitsPerToken[i];
    }

    /** The smallest capacity, the largest cost a decision may ask for. */
    public long maxCost() {
        return maxCost;
    }

    /**
     * The first limit's deficit after {@code elapsedMicros} of refill, the same value as {@link BucketMath#refill}.
     * Past the time an empty bucket needs to fill, the answer is 0; below it, {@code elapsed * T} stays under
     * {@code capacity * P + T}, so the product cannot overflow and no division is needed.
     */
    public long refilled(long deficit, long elapsedMicros) {
        if (elapsedMicros <= 0) {
            return deficit;
        }
        if (elapsedMicros >= fillMicros) {
            return 0;
        }
        long left = deficit - elapsedMicros * unitsPerMicro[0];
        return left > 0 ? left : 0;
    }

    /** The decision of a single-limit policy that granted (or, for a peek, could grant) with this deficit left. */
    public Decision allowance(long deficit) {
        return new Decision(true, remaining(deficit), millisUntilRefilled(deficit), 0, capacity[0], false, one);
    }

    /** The decision of a single-limit policy that refused {@code cost} tokens at this deficit. */
    public Decision denial(long deficit, long cost) {
        long lacking = deficit + cost * unitsPerToken[0] - fullDeficit(0);
        long retry = millisUntilRefilled(lacking);
        return new Decision(false, remaining(deficit), millisUntilRefilled(deficit), retry, capacity[0], false, one);
    }

    /** {@link BucketMath#wholeTokens} of the first limit. */
    private long remaining(long deficit) {
        long p = unitsPerToken[0];
        return p == 1 ? capacity[0] - deficit : (fullDeficit(0) - deficit) / p;
    }

    /**
     * {@link BucketMath#millisUntilRefilled} of the first limit, in one division: {@code ceil(ceil(d / T) / 1000)}
     * equals {@code ceil(d / (1000 T))}, and {@code 1000 T} stays below 2<sup>63</sup> since {@code T} is below
     * 2<sup>53</sup>.
     */
    private long millisUntilRefilled(long deficit) {
        if (deficit <= 0) {
            return 0;
        }
        long q = deficit / unitsPerMilli;
        return q * unitsPerMilli == deficit ? q : q + 1;
    }
}
