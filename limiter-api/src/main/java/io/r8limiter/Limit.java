package io.r8limiter;

import io.r8limiter.internal.BucketMath;
import java.time.Duration;
import java.util.Objects;

/**
 * One token bucket: {@code capacity} tokens, refilled continuously at {@code refillTokens} per {@code refillPeriod}
 * and never above capacity.
 *
 * <p>Values are checked when the limit is built: every count must be positive, the capacity at most
 * {@value #MAX_CAPACITY} and the refill tokens below 2<sup>53</sup>, the period must lie between 1 ms and 30 days,
 * and the combination must fit the exact fixed-point arithmetic both engines share (every
 * intermediate value below 2<sup>53</sup>, so Redis' Lua doubles stay exact). A bad value fails with an
 * {@link IllegalArgumentException} naming the field and the value.
 *
 * @param capacity the most tokens the bucket holds; a key never seen starts with this many
 * @param refillTokens how many tokens come back per {@code refillPeriod}
 * @param refillPeriod the period over which {@code refillTokens} come back, with millisecond precision
 * @since 0.1
 */
public record Limit(long capacity, long refillTokens, Duration refillPeriod) {

    /** The largest capacity accepted. */
    public static final long MAX_CAPACITY = 1_000_000_000_000_000L;

    /**
     * The most refill tokens accepted, the largest integer a Lua number holds exactly: a Redis bucket stores the
     * figure to recognise its limit after a policy change.
     */
    public static final long MAX_REFILL_TOKENS = (1L << 53) - 1;

    /** The shortest refill period accepted. */
    public static final Duration MIN_PERIOD = Duration.ofMillis(1);

    /** The longest refill period accepted. */
    public static final Duration MAX_PERIOD = Duration.ofDays(30);

    public Limit {
        Objects.requireNonNull(refillPeriod, "refillPeriod");
        requirePositive("capacity", capacity);
        requirePositive("refillTokens", refillTokens);
        if (capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be at most " + MAX_CAPACITY + " but was " + capacity);
        }
        if (refillTokens > MAX_REFILL_TOKENS) {
            throw new IllegalArgumentException(
                    "refillTokens must be at most " + MAX_REFILL_TOKENS + " (2^53 - 1) but was " + refillTokens);
        }
        if (refillPeriod.compareTo(MIN_PERIOD) < 0 || refillPeriod.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException(
                    "refillPeriod must be between 1ms and 30 days but was " + describe(refillPeriod));
        }
        if (refillPeriod.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    "refillPeriod must be a whole number of milliseconds but was " + describe(refillPeriod));
        }
        BucketMath.check(capacity, refillTokens, refillPeriod.toMillis());
    }

    /** A limit that refills {@code refillTokens} every {@code refillPeriod}. */
    public static Limit of(long capacity, long refillTokens, Duration refillPeriod) {
        return new Limit(capacity, refillTokens, refillPeriod);
    }

    /** A limit whose whole capacity refills over {@code period}, such as 100 per minute. */
    public static Limit perPeriod(long capacity, Duration period) {
        return new Limit(capacity, capacity, period);
    }

    /** The refill period in milliseconds. */
    public long refillPeriodMillis() {
        return refillPeriod.toMillis();
    }

    /** Milliseconds an empty bucket needs to become full again, rounded up. */
    public long millisToFillFromEmpty() {
        return BucketMath.millisToFill(capacity, refillTokens, refillPeriod.toMillis());
    }

    private static void requirePositive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
    }

    private static String describe(Duration period) {
        return period.toMillis() + "ms (" + period + ")";
    }
}
