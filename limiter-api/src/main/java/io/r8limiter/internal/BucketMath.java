package io.r8limiter.internal;

import java.math.BigInteger;

/**
 * The exact fixed-point arithmetic of one token bucket, shared by the memory engine and mirrored by the Lua script.
 *
 * <p>A limit refills {@code refillTokens} per {@code periodMicros}. Reducing that fraction by its greatest common
 * divisor gives {@code T} tokens per {@code P} microseconds, so counting in a unit where one token is {@code P}
 * units and one microsecond is {@code T} units makes every refill and debit a whole number. A bucket's state is its
 * deficit below capacity in those units: {@code 0} is full, {@code capacity * P} is empty. Every value the engines
 * form stays at most {@code capacity * P + T}, which {@link #check} keeps below 2<sup>53</sup> so that Redis' Lua
 * doubles are as exact as Java's longs.
 */
public final class BucketMath {

    /** Integers up to this bound are exact in an IEEE double, hence in Redis Lua. */
    public static final long EXACT_LIMIT = 1L << 53;

    private static final long MICROS_PER_MILLI = 1_000;

    private BucketMath() {}

    /** Units one microsecond of refill is worth ({@code T}). */
    public static long unitsPerMicro(long refillTokens, long periodMillis) {
        return refillTokens / gcd(refillTokens, periodMillis * MICROS_PER_MILLI);
    }

    /** Units one token is worth ({@code P}). */
    public static long unitsPerToken(long refillTokens, long periodMillis) {
        long periodMicros = periodMillis * MICROS_PER_MILLI;
        return periodMicros / gcd(refillTokens, periodMicros);
    }

    /**
     * Rejects a limit whose exact representation does not fit below 2<sup>53</sup>.
     *
     * @throws IllegalArgumentException naming the three values and the fix
     */
    public static void check(long capacity, long refillTokens, long periodMillis) {
        long periodMicros = periodMillis * MICROS_PER_MILLI;
        long g = gcd(refillTokens, periodMicros);
        BigInteger needed = BigInteger.valueOf(capacity)
                .multiply(BigInteger.valueOf(periodMicros / g))
                .add(BigInteger.valueOf(refillTokens / g));
        if (needed.compareTo(BigInteger.valueOf(EXACT_LIMIT)) >= 0) {
            throw new IllegalArgumentException("limit capacity=" + capacity + " refillTokens=" + refillTokens
                    + " refillPeriod=" + periodMillis + "ms cannot be counted exactly (it needs " + needed
                    + " units, the bound is 2^53); use a smaller capacity or a refill that divides the period more"
                    + " evenly");
        }
    }

    /** Milliseconds an empty bucket needs to become full, rounded up. */
    public static long millisToFill(long capacity, long refillTokens, long periodMillis) {
        long t = unitsPerMicro(refillTokens, periodMillis);
        long p = unitsPerToken(refillTokens, periodMillis);
        return ceilDiv(ceilDiv(capacity * p, t), MICROS_PER_MILLI);
    }

    /** The deficit left after {@code elapsedMicros} of refill; never negative and never overflowing. */
    public static long refill(long deficit, long elapsedMicros, long unitsPerMicro) {
        if (elapsedMicros <= 0 || deficit == 0) {
            return deficit;
        }
        if (elapsedMicros >= ceilDiv(deficit, unitsPerMicro)) {
            return 0;
        }
        return deficit - elapsedMicros * unitsPerMicro;
    }

    /** Whole tokens present when the deficit is {@code deficit}, rounded down. */
    public static long wholeTokens(long capacity, long deficit, long unitsPerToken) {
        return (capacity * unitsPerToken - deficit) / unitsPerToken;
    }

    /** Milliseconds until a deficit of {@code deficit} units is refilled, rounded up; 0 when it is 0 or less. */
    public static long millisUntilRefilled(long deficit, long unitsPerMicro) {
        if (deficit <= 0) {
            return 0;
        }
        return ceilDiv(ceilDiv(deficit, unitsPerMicro), MICROS_PER_MILLI);
    }

    /** Ceiling of {@code a / b} for {@code a >= 0} and {@code b > 0}. */
    public static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
