package io.r8limiter.stats;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Policy;
import io.r8limiter.TimeSource;
import io.r8limiter.stats.internal.SpaceSaving;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@link RateLimitStats} of this process only, in bounded memory whatever the number of distinct keys.
 *
 * <p>Time is cut into slices (one minute by default) held in a ring that spans the window plus the current slice.
 * Each slice counts decisions per policy with {@link java.util.concurrent.atomic.LongAdder}s and, on denials only,
 * feeds a Space-Saving summary of at most {@code capacity} keys (1,000 by default). Memory is therefore about
 * {@code (window / slice + 1) * capacity} keys at most.
 *
 * <p>Offender counts are exact ({@link Offender#error()} 0) as long as no slice saw more distinct denied keys than
 * the capacity. Beyond that, a count may exceed the truth by at most its {@code error}, which is no more than the
 * window's denials divided by the capacity; any key whose true count is above that bound is listed.
 *
 * <p>Thread-safe. Recording an allowed decision costs a clock read, a map lookup and a counter increment; a denial
 * adds one short lock on the slice's summary. Reads merge the slices and may run on any thread.
 *
 * @since 0.1
 */
public final class LocalStats implements RateLimitStats {

    /** The default slice: one minute. */
    public static final Duration DEFAULT_SLICE = Duration.ofMinutes(1);

    /** The default number of keys each slice's summary tracks. */
    public static final int DEFAULT_CAPACITY = 1_000;

    /** The largest capacity accepted. */
    public static final int MAX_CAPACITY = 1_000_000;

    /** The most slices a window may span. */
    public static final int MAX_SLICES = 10_000;

    private final Duration window;
    private final long sliceNanos;
    private final int capacity;
    private final TimeSource time;
    private final AtomicReferenceArray<Slice> ring;

    private LocalStats(Builder b) {
        this.window = b.window;
        this.sliceNanos = b.slice.toNanos();
        this.capacity = b.capacity;
        this.time = b.time;
        this.ring = new AtomicReferenceArray<>(b.slices() + 1);
    }

    /** Stats over 15 minutes in one-minute slices, tracking 1,000 offenders per slice. */
    public static LocalStats ofDefaults() {
        return builder().build();
    }

    /** Starts a configuration. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onDecision(Policy policy, BucketKey key, Decision decision, long backendNanos) {
        Slice slice = current();
        if (slice != null) {
            slice.record(policy.name(), key, decision);
        }
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public Totals totals() {
        Map<String, Counts> byPolicy = new HashMap<>();
        for (Slice slice : live()) {
            slice.addTo(byPolicy);
        }
        return Totals.of(window, byPolicy);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Exact while no slice of the window saw more distinct denied keys than the capacity; otherwise each count
     * exceeds the truth by at most its {@link Offender#error()}, itself at most the window's denials divided by the
     * capacity.
     */
    @Override
    public List<Offender> topOffenders(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative but was " + limit);
        }
        List<SpaceSaving.Snapshot<Slice.OffenderId>> snapshots = new ArrayList<>();
        for (Slice slice : live()) {
            snapshots.add(slice.offenders.snapshot());
        }
        return OffenderMerge.top(snapshots, limit);
    }

    /** The slice for now, replacing the one a full ring ago; null for a caller whose clock read is already stale. */
    private Slice current() {
        long index = Math.floorDiv(time.nanos(), sliceNanos);
        int pos = (int) Math.floorMod(index, (long) ring.length());
        while (true) {
            Slice slice = ring.get(pos);
            if (slice != null && slice.index == index) {
                return slice;
            }
            if (slice != null && slice.index > index) {
                return null;
            }
            Slice fresh = new Slice(index, capacity);
            if (ring.compareAndSet(pos, slice, fresh)) {
                return fresh;
            }
        }
    }

    /** The slices inside the window: the current one and the {@code ring length - 1} before it. */
    private List<Slice> live() {
        long now = Math.floorDiv(time.nanos(), sliceNanos);
        List<Slice> slices = new ArrayList<>(ring.length());
        for (int i = 0; i < ring.length(); i++) {
            Slice slice = ring.get(i);
            if (slice != null && slice.index <= now && slice.index > now - ring.length()) {
                slices.add(slice);
            }
        }
        return slices;
    }

    /** Configures {@link LocalStats}. */
    public static final class Builder {
        private Duration window = DEFAULT_WINDOW;
        private Duration slice = DEFAULT_SLICE;
        private int capacity = DEFAULT_CAPACITY;
        private TimeSource time = TimeSource.SYSTEM;

        private Builder() {}

        /** How far back the stats reach; 15 minutes by default. */
        public Builder window(Duration window) {
            this.window = requirePositive("window", window);
            return this;
        }

        /** The granularity of the window; one minute by default. */
        public Builder slice(Duration slice) {
            this.slice = requirePositive("slice", slice);
            return this;
        }

        /** How many denied keys each slice tracks exactly; 1,000 by default. */
        public Builder capacity(int capacity) {
            if (capacity < 1 || capacity > MAX_CAPACITY) {
                throw new IllegalArgumentException(
                        "capacity must be between 1 and " + MAX_CAPACITY + " but was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** The clock; the system's monotonic clock by default. */
        public Builder timeSource(TimeSource time) {
            this.time = requireNonNull(time, "time");
            return this;
        }

        /** The stats. */
        public LocalStats build() {
            slices();
            return new LocalStats(this);
        }

        /** Slices the window spans, rounded up. */
        int slices() {
            if (slice.compareTo(window) > 0) {
                throw new IllegalArgumentException("slice must not exceed the window " + window + " but was " + slice);
            }
            long slices = (window.toNanos() + slice.toNanos() - 1) / slice.toNanos();
            if (slices > MAX_SLICES) {
                throw new IllegalArgumentException("window must span at most " + MAX_SLICES + " slices but was "
                        + window + " in slices of " + slice);
            }
            return (int) slices;
        }
    }

    static Duration requirePositive(String field, Duration value) {
        requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
        return value;
    }
}
