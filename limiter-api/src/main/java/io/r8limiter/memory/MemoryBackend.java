package io.r8limiter.memory;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.TimeSource;
import io.r8limiter.internal.BucketIds;
import io.r8limiter.internal.BucketMath;
import io.r8limiter.internal.BucketState;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Buckets held in this process: exact under any number of threads, with bounded memory.
 *
 * <p>Each decision reads the bucket's immutable state and, when it takes tokens, swaps in the next state with one
 * compare-and-set, retrying on contention; a denial writes nothing. A bucket that has refilled to full carries no
 * information, so a sweep drops it; the sweep runs, on the sweep executor, after as many new keys as there were
 * live ones at the last sweep, or once a sweep interval has passed, so its cost is amortized over the decisions.
 *
 * <p>At the cap on live keys ({@link Builder#maxKeys}), a sweep runs on the deciding thread (at most once a second
 * or once per eighth of the cap in refusals); if every bucket is still in use, a request for a key not yet held is
 * denied, with a retry time of the cost's refill from empty, until buckets are
 * dropped. Buckets already held are never evicted early, so the cap never hands anyone a free refill.
 *
 * @since 0.1
 */
public final class MemoryBackend implements RateLimitBackend {

    private static final long CAP_SWEEP_INTERVAL_MICROS = 1_000_000;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final TimeSource time;
    private final long originNanos;
    private final int maxKeys;
    private final long sweepIntervalMicros;
    private final Executor sweepExecutor;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong createdSinceSweep = new AtomicLong();
    private final AtomicLong refusedSinceSweep = new AtomicLong();
    private volatile long lastSweepMicros;
    private volatile long liveAtLastSweep;

    /** A backend on {@code time} with the default cap of one million keys. */
    public MemoryBackend(TimeSource time) {
        this(builder().time(time));
    }

    private MemoryBackend(Builder b) {
        this.time = b.time;
        this.originNanos = b.time.nanos();
        this.maxKeys = b.maxKeys;
        this.sweepIntervalMicros = b.sweepIntervalMillis * 1000;
        this.sweepExecutor = b.sweepExecutor;
    }

    /** Starts a configured backend. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Decision consume(Policy policy, BucketKey key, long cost) {
        String id = BucketIds.of(policy.name(), key);
        long now = nowMicros();
        maybeSweep(now);
        Bucket bucket = buckets.get(id);
        if (bucket == null) {
            bucket = create(id, now);
            if (bucket == null) {
                return overCap(policy, cost);
            }
        }
        while (true) {
            BucketState state = bucket.get();
            if (state == Bucket.REMOVED) {
                buckets.remove(id, bucket);
                return consume(policy, key, cost);
            }
            BucketState.Outcome outcome = BucketState.decide(policy, state, now, cost, true);
            if (outcome.next() == null || bucket.compareAndSet(state, outcome.next())) {
                return outcome.decision();
            }
        }
    }

    @Override
    public Decision peek(Policy policy, BucketKey key) {
        Bucket bucket = buckets.get(BucketIds.of(policy.name(), key));
        BucketState state = bucket == null ? null : bucket.get();
        return BucketState.decide(policy, state == Bucket.REMOVED ? null : state, nowMicros(), 1, false)
                .decision();
    }

    @Override
    public void reset(Policy policy, BucketKey key) {
        Bucket bucket = buckets.remove(BucketIds.of(policy.name(), key));
        if (bucket != null) {
            bucket.set(Bucket.REMOVED);
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    /** Live buckets: keys not yet dropped. */
    public int size() {
        return buckets.size();
    }

    /** Drops every bucket that is full now; runs on the calling thread. */
    public void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = nowMicros();
            buckets.forEach((id, bucket) -> {
                BucketState state = bucket.get();
                if (state != Bucket.REMOVED
                        && (state == null || state.isFullAt(now))
                        && bucket.compareAndSet(state, Bucket.REMOVED)) {
                    buckets.remove(id, bucket);
                }
            });
            lastSweepMicros = now;
            liveAtLastSweep = buckets.size();
            createdSinceSweep.set(0);
            refusedSinceSweep.set(0);
        } finally {
            sweeping.set(false);
        }
    }

    private Bucket create(String id, long now) {
        if (buckets.size() >= maxKeys && !sweptAtCap(now)) {
            return null;
        }
        Bucket fresh = new Bucket();
        Bucket existing = buckets.putIfAbsent(id, fresh);
        if (existing != null) {
            return existing;
        }
        if (createdSinceSweep.incrementAndGet() > Math.max(1024, liveAtLastSweep)) {
            requestSweep();
        }
        return fresh;
    }

    /**
     * At the cap, sweeps on the calling thread, but only after enough refusals or time to pay for a full pass, so a
     * flood of new keys cannot turn every request into a scan. Returns whether there is room now.
     */
    private boolean sweptAtCap(long now) {
        boolean due = refusedSinceSweep.incrementAndGet() >= Math.max(1, maxKeys / 8)
                || now - lastSweepMicros >= CAP_SWEEP_INTERVAL_MICROS;
        if (due) {
            sweep();
        }
        return buckets.size() < maxKeys;
    }

    private void maybeSweep(long now) {
        if (now - lastSweepMicros >= sweepIntervalMicros && !buckets.isEmpty()) {
            lastSweepMicros = now;
            requestSweep();
        }
    }

    private void requestSweep() {
        if (!sweeping.get()) {
            sweepExecutor.execute(this::sweep);
        }
    }

    private static Decision overCap(Policy policy, long cost) {
        long retry = 0;
        long tightest = Long.MAX_VALUE;
        for (Limit l : policy.limits()) {
            retry = Math.max(retry, BucketMath.millisToFill(cost, l.refillTokens(), l.refillPeriodMillis()));
            tightest = Math.min(tightest, l.capacity());
        }
        return new Decision(false, 0, 0, Math.max(1, retry), tightest, false, List.of());
    }

    private long nowMicros() {
        return Math.floorDiv(time.nanos() - originNanos, 1000);
    }

    /**
     * One key's slot: its current state, {@code null} while full, {@link #REMOVED} once swept. Extending the atomic
     * reference saves an object per key.
     */
    @SuppressWarnings("serial")
    private static final class Bucket extends AtomicReference<BucketState> {
        static final BucketState REMOVED = BucketState.removedMarker();
    }

    /** Configures a {@link MemoryBackend}. */
    public static final class Builder {
        private TimeSource time = TimeSource.SYSTEM;
        private int maxKeys = 1_000_000;
        private long sweepIntervalMillis = 10_000;
        private Executor sweepExecutor = ForkJoinPool.commonPool();

        private Builder() {}

        /** The clock; the system's monotonic clock by default. */
        public Builder time(TimeSource time) {
            this.time = requireNonNull(time, "time");
            return this;
        }

        /** Most live keys held at once; one million by default. */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys <= 0) {
                throw new IllegalArgumentException("maxKeys must be positive but was " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** Longest time between two sweeps of full buckets; 10 seconds by default. */
        public Builder sweepIntervalMillis(long millis) {
            if (millis <= 0) {
                throw new IllegalArgumentException("sweepIntervalMillis must be positive but was " + millis);
            }
            this.sweepIntervalMillis = millis;
            return this;
        }

        /** Where background sweeps run; the common fork-join pool by default. Tests pass {@code Runnable::run}. */
        public Builder sweepExecutor(Executor executor) {
            this.sweepExecutor = requireNonNull(executor, "executor");
            return this;
        }

        /** The backend. */
        public MemoryBackend build() {
            return new MemoryBackend(this);
        }
    }
}
