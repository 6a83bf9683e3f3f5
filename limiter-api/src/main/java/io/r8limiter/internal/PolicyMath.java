package io.r8limiter.internal;

import io.r8limiter.Limit;
import java.util.List;

/**
 * The per-limit constants of a policy, computed once: capacity, units per microsecond and units per token (see
 * {@link BucketMath}). Arrays are shared, never modified after construction.
 */
public final class PolicyMath {

    private final long[] capacity;
    private final long[] unitsPerMicro;
    private final long[] unitsPerToken;
    private final long maxCost;

    private PolicyMath(long[] capacity, long[] unitsPerMicro, long[] unitsPerToken) {
        this.capacity = capacity;
        this.unitsPerMicro = unitsPerMicro;
        this.unitsPerToken = unitsPerToken;
        long min = Long.MAX_VALUE;
        for (long c : capacity) {
            min = Math.min(min, c);
        }
        this.maxCost = min;
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
        return new PolicyMath(capacity, perMicro, perToken);
    }

    public int size() {
        return capacity.length;
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
}
