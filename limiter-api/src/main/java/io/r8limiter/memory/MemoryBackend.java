package io.r8limiter.memory;

import static java.util.Objects.requireNonNull;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.TimeSource;
import io.r8limiter.internal.BucketMath;
import io.r8limiter.internal.BucketState;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Buckets held in this process: exact under any number of threads, with bounded memory.
 *
 * <p>Buckets are found by policy name, then by the key's own encoding, so a lookup builds no string. A single-limit
 * bucket is one number, the time it will be full again, moved on by one compare-and-set per allowance; other buckets
 * are immutable snapshots swapped by compare-and-set. Either way a decision is lock-free, a denial writes nothing,
 * and a single-limit decision allocates nothing but the {@link Decision}. Under contention on one key, a decision
 * that loses the compare-and-set twice in a row parks for the shortest time the system grants (tens of microseconds)
 * before each further attempt, so that a hot key's cache line stops moving between cores on every attempt; the
 * first retry goes at once. A policy change replaces a bucket's slot
 * under the map's lock for that key, carrying its deficit over (the only step that makes other callers of that key
 * wait). A bucket that has refilled to full carries no information, so a sweep drops it; the sweep runs, on the
 * sweep executor, after as many new keys as there were live ones at the last sweep, or once a sweep interval has
 * passed, so its cost is amortized over the decisions. A sweep judges a bucket full by the arithmetic it was last
 * written under: after a policy change that slows the refill, a bucket not decided on since may be dropped once it
 * is full at the old rate, refilling it early, just as a Redis key expires on the TTL it was written with.
 *
 * <p>At the cap on live keys ({@link Builder#maxKeys}), a sweep runs on the deciding thread (at most once a second
 * or once per eighth of the cap in refusals); if every bucket is still in use, a request for a key not yet held is
 * denied, with a retry time of the cost's refill from empty, until buckets are
 * dropped. Buckets already held are never evicted early, so the cap never hands anyone a free refill. The cap is
 * checked before a new key is inserted, not in one step with it: threads creating new keys at the same moment may
 * all pass the check, so live keys exceed the cap by at most the number of threads creating keys at once, minus
 * one (a bound set by the application's threads, not by its traffic).
 *
 * @since 0.1
 */
public final class MemoryBackend implements RateLimitBackend {

    private static final long CAP_SWEEP_INTERVAL_MICROS = 1_000_000;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Slot>> byPolicy = new ConcurrentHashMap<>();
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
        return consume(slots(policy.name()), key.encoded(), policy, cost, tick());
    }

    /**
     * Holds the bucket's slot between decisions, so that a decision finds it without a lookup; a slot dropped by a
     * sweep or a reset, or replaced after a policy change, answers no decision, and the binding then looks the key up
     * again (see {@link MemoryBinding}).
     */
    @Override
    public BucketBinding bind(String policyName, BucketKey key) {
        return new MemoryBinding(this, slots(policyName), key.encoded());
    }

    /**
     * Decides on the bucket {@code id} of {@code slots} at {@code now}: finds or creates its slot, and settles a slot
     * that cannot answer. Returns the decision; {@link MemoryBinding} then reads the slot now mapped.
     */
    Decision consume(ConcurrentHashMap<String, Slot> slots, String id, Policy policy, long cost, long now) {
        while (true) {
            Slot slot = slots.get(id);
            if (slot == null) {
                slot = create(slots, id, policy, now);
                if (slot == null) {
                    return overCap(policy, cost);
                }
            }
            Decision decision = slot.decide(policy, now, cost, true);
            if (decision != null) {
                return decision;
            }
            settle(slots, id, slot, policy);
            // the slot was dropped or replaced after this clock reading: decide at a time that follows it
            now = nowMicros();
        }
    }

    @Override
    public Decision peek(Policy policy, BucketKey key) {
        ConcurrentHashMap<String, Slot> slots = byPolicy.get(policy.name());
        String id = key.encoded();
        while (true) {
            long now = nowMicros();
            Slot slot = slots == null ? null : slots.get(id);
            if (slot == null) {
                return BucketState.decide(policy, null, now, 1, false).decision();
            }
            Decision decision = slot.decide(policy, now, 1, false);
            if (decision != null) {
                return decision;
            }
            settle(slots, id, slot, policy);
        }
    }

    @Override
    public void reset(Policy policy, BucketKey key) {
        ConcurrentHashMap<String, Slot> slots = byPolicy.get(policy.name());
        Slot slot = slots == null ? null : slots.remove(key.encoded());
        if (slot != null) {
            slot.drop();
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    /** Live buckets: keys not yet dropped. */
    public int size() {
        long size = 0;
        for (ConcurrentHashMap<String, Slot> slots : byPolicy.values()) {
            size += slots.size();
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** Drops every bucket that is full now; runs on the calling thread. */
    public void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = nowMicros();
            for (ConcurrentHashMap<String, Slot> slots : byPolicy.values()) {
                slots.forEach((id, slot) -> {
                    if (slot.dropIfFull(now)) {
                        slots.remove(id, slot);
                    }
                });
            }
            lastSweepMicros = now;
            liveAtLastSweep = size();
            createdSinceSweep.set(0);
            refusedSinceSweep.set(0);
        } finally {
            sweeping.set(false);
        }
    }

    private ConcurrentHashMap<String, Slot> slots(String policy) {
        ConcurrentHashMap<String, Slot> slots = byPolicy.get(policy);
        return slots != null ? slots : byPolicy.computeIfAbsent(policy, p -> new ConcurrentHashMap<>());
    }

    /**
     * Settles a slot that could not answer: drops its mapping when it was dropped, or replaces it by a slot that
     * serves {@code policy} with the same deficit. A caller finding the slot moved waits here for the replacement.
     */
    private void settle(ConcurrentHashMap<String, Slot> slots, String id, Slot slot, Policy policy) {
        slots.computeIfPresent(id, (k, current) -> current == slot ? slot.successor(policy, nowMicros()) : current);
    }

    private @Nullable Slot create(ConcurrentHashMap<String, Slot> slots, String id, Policy policy, long now) {
        if (size() >= maxKeys && !sweptAtCap(now)) {
            return null;
        }
        Slot fresh = Slot.fresh(policy, now);
        Slot existing = slots.putIfAbsent(id, fresh);
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
        return size() < maxKeys;
    }

    private void maybeSweep(long now) {
        if (now - lastSweepMicros >= sweepIntervalMicros) {
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

    /** The time of a decision about to be made, in microseconds, after starting a sweep when one is due. */
    long tick() {
        long now = nowMicros();
        maybeSweep(now);
        return now;
    }

    private long nowMicros() {
        return Math.floorDiv(time.nanos() - originNanos, 1000);
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
