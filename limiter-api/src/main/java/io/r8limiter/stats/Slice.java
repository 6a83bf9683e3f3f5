package io.r8limiter.stats;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.stats.internal.SpaceSaving;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** One time slice of {@link LocalStats}: counters per policy and a Space-Saving summary of the denied keys. */
final class Slice {

    final long index;
    final SpaceSaving<OffenderId> offenders;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    Slice(long index, int capacity) {
        this.index = index;
        this.offenders = new SpaceSaving<>(capacity);
    }

    void record(String policy, BucketKey key, Decision decision) {
        Tally tally = tallies.computeIfAbsent(policy, p -> new Tally());
        (decision.allowed() ? tally.allowed : tally.denied).increment();
        if (decision.degraded()) {
            tally.degraded.increment();
        }
        if (decision.denied()) {
            offenders.add(new OffenderId(policy, key));
        }
    }

    void addTo(Map<String, Counts> totals) {
        tallies.forEach((policy, t) -> totals.merge(policy, t.counts(), Counts::plus));
    }

    /** A denied bucket: its policy's name and its key. */
    record OffenderId(String policy, BucketKey key) {}

    private static final class Tally {
        final LongAdder allowed = new LongAdder();
        final LongAdder denied = new LongAdder();
        final LongAdder degraded = new LongAdder();

        Counts counts() {
            return new Counts(allowed.sum(), denied.sum(), degraded.sum());
        }
    }
}
