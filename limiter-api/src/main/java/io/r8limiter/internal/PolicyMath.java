package io.r8limiter.internal;

import io.r8limiter.Decision;
import io.r8limiter.Limit;
import java.util.List;

/**
 * The per-limit constants of a policy, computed once: capacity, units per microsecond and units per token (see
 * {@link BucketMath}). Arrays are shared, never modified after construction.
 *
 * <p>For a single-limit policy it also answers the whole decision without allocating anything but the
 * {@link Decision}: {@link #allowance} and {@link #denial} use constants derived once, so the figures cost two
 * divisions. When the limit's unit is fine enough ({@code T} at most {@value #MAX_FULL_AT_UNITS_PER_MICRO}), a bucket
 * can be kept as the one number {@code t * T + deficit}, the time it will be full again counted in units: see
 * {@link #fullAtFits}.
 */
public final class PolicyMath {

    /** Largest {@code T} for which a bucket may be kept as the time it is full again (see {@link #fullAtFits}). */
    public static final long MAX_FULL_AT_UNITS_PER_MICRO = 1024;

    /**
     * Bound on {@code |t * T|}: with deficits below 2<sup>53</sup>, every sum and difference stays below
     * 2<sup>63</sup>.
     */
    private static final long FULL_AT_BOUND = 1L << 61;

    private final long[] capacity;
    private final long[] unitsPerMicro;
    private final long[] unitsPerToken;
    private final long[] periodMillis;
    private final long maxCost;
    private final OneLimit one;
    private final long fullAtMaxMicros;
    // the first limit's constants as plain fields, for the single-limit path
    private final long capacity0;
    private final long perToken0;
    private final long full0;
    private final long perMilli0;
    private final double inversePerToken0;
    private final double inversePerMilli0;

    private PolicyMath(List<Limit> limits, long[] capacity, long[] unitsPerMicro, long[] unitsPerToken) {
        this.capacity = capacity;
        this.unitsPerMicro = unitsPerMicro;
        this.unitsPerToken = unitsPerToken;
        this.periodMillis = limits.stream().mapToLong(Limit::refillPeriodMillis).toArray();
        long min = Long.MAX_VALUE;
        for (long c : capacity) {
            min = Math.min(min, c);
        }
        this.maxCost = min;
        this.one = limits.size() == 1 ? new OneLimit(limits.get(0)) : null;
        this.fullAtMaxMicros =
                one != null && unitsPerMicro[0] <= MAX_FULL_AT_UNITS_PER_MICRO ? FULL_AT_BOUND / unitsPerMicro[0] : -1;
        this.capacity0 = capacity[0];
        this.perToken0 = unitsPerToken[0];
        this.full0 = capacity[0] * unitsPerToken[0];
        this.perMilli0 = unitsPerMicro[0] * 1_000;
        this.inversePerToken0 = 1.0 / perToken0;
        this.inversePerMilli0 = 1.0 / perMilli0;
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

    /** The refill period of limit {@code i} in milliseconds, which {@link LimitMatch} uses to recognise a limit. */
    public long periodMillis(int i) {
        return periodMillis[i];
    }

    /** Deficit of an empty bucket of limit {@code i}. */
    public long fullDeficit(int i) {
        return i == 0 ? full0 : capacity[i] * unitsPerToken[i];
    }

    /** The smallest capacity, the largest cost a decision may ask for. */
    public long maxCost() {
        return maxCost;
    }

    /** Whether {@code other} is a single-limit policy with the same limit, so that state of one suits the other. */
    public boolean sameSingleLimit(PolicyMath other) {
        return other == this || (one != null && other.one != null && one.limit().equals(other.one.limit()));
    }

    /**
     * Whether a single-limit bucket may be kept as the time it is full again, {@code t * T + deficit} units, at
     * {@code nowMicros}: the policy has one limit, {@code T} is at most {@value #MAX_FULL_AT_UNITS_PER_MICRO} and
     * {@code |now * T|} stays below 2<sup>61</sup> (71 years from the engine's start at the largest {@code T}), so no
     * sum or difference of such times and deficits can overflow.
     */
    public boolean fullAtFits(long nowMicros) {
        return nowMicros <= fullAtMaxMicros && nowMicros >= -fullAtMaxMicros;
    }

    /** The decision of a single-limit policy that granted (or, for a peek, could grant) with this deficit left. */
    public Decision allowance(long deficit) {
        return new Decision(true, remaining(deficit), millisUntilRefilled(deficit), 0, capacity0, false, one);
    }

    /** The decision of a single-limit policy that refused {@code cost} tokens at this deficit. */
    public Decision denial(long deficit, long cost) {
        long retry = millisUntilRefilled(deficit + cost * perToken0 - full0);
        return new Decision(false, remaining(deficit), millisUntilRefilled(deficit), retry, capacity0, false, one);
    }

    /** {@link BucketMath#wholeTokens} of the first limit. */
    private long remaining(long deficit) {
        return perToken0 == 1 ? capacity0 - deficit : quotient(full0 - deficit, perToken0, inversePerToken0);
    }

    /**
     * {@link BucketMath#millisUntilRefilled} of the first limit: {@code ceil(ceil(d / T) / 1000)} equals
     * {@code ceil(d / (1000 T))}, and {@code 1000 T} stays below 2<sup>63</sup> since {@code T} is below
     * 2<sup>53</sup>.
     */
    private long millisUntilRefilled(long deficit) {
        if (deficit <= 0) {
            return 0;
        }
        long q = quotient(deficit, perMilli0, inversePerMilli0);
        return q * perMilli0 == deficit ? q : q + 1;
    }

    /**
     * {@code n / d} rounded down, for {@code 0 <= n < 2^53}, without a division instruction (which costs more than
     * the rest of a decision): {@code n * (1 / d)} in doubles is off by less than one whenever the quotient is below
     * 2<sup>51</sup> (it is below 2<sup>44</sup> here, as {@code d} is 1000 or more, or a token's units with the
     * quotient at most the capacity), and one step on the exact remainder corrects it.
     */
    private static long quotient(long n, long d, double inverse) {
        long q = (long) (n * inverse);
        long r = n - q * d;
        if (r < 0) {
            return q - 1;
        }
        return r >= d ? q + 1 : q;
    }
}
