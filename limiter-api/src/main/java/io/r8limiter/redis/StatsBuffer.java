package io.r8limiter.redis;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.stats.internal.SpaceSaving;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link RedisStats} instance counted since its last flush, per slice: decision counters per policy
 * ({@link LongAdder}s, drained with {@code sumThenReset}, which loses no concurrent increment) and denials per
 * offender member in a {@link SpaceSaving} summary of at most {@code maxOffenders} members (swapped out whole by a
 * drain, inside the map's own lock for the slice, so each denial is drained exactly once).
 *
 * <p>The summary is exact while no more than {@code maxOffenders} distinct offenders are denied between two flushes.
 * Past that, a new offender takes over the counter of the least denied one: no denial is dropped, counts may only
 * exceed the truth by their error, and an offender no longer listed was denied at most the summary's floor times,
 * which the flush adds to the slice's shared bound in Redis.
 */
final class StatsBuffer {

    private final Map<TallyKey, Tally> tallies = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, SpaceSaving<String>> offenders = new ConcurrentHashMap<>();
    private final Map<Long, StatsBatch> unwritten = new TreeMap<>();
    private final int maxOffenders;

    StatsBuffer(int maxOffenders) {
        this.maxOffenders = maxOffenders;
    }

    /** Counts one decision; returns whether the buffer holds so many offenders that it should be flushed now. */
    boolean record(long slice, String policy, BucketKey key, Decision decision) {
        Tally tally = tallies.computeIfAbsent(new TallyKey(slice, policy), k -> new Tally());
        (decision.allowed() ? tally.allowed : tally.denied).increment();
        if (decision.degraded()) {
            tally.degraded.increment();
        }
        if (decision.allowed()) {
            return false;
        }
        String member = OffenderMembers.of(policy, key);
        SpaceSaving<String> summary = offenders.compute(slice, (s, current) -> {
            SpaceSaving<String> into = current != null ? current : new SpaceSaving<>(maxOffenders);
            into.add(member);
            return into;
        });
        return summary.size() >= maxOffenders / 2;
    }

    /**
     * Takes everything counted so far and whatever a failed flush kept, one batch per slice, oldest first. Counters
     * of slices before {@code current - 1} that stay empty are dropped; a writer would need a clock read over a slice
     * old to still touch them. Called by one thread at a time, like {@link #keepForRetry}.
     */
    List<StatsBatch> drain(long current) {
        Map<Long, StatsBatch> batches = new TreeMap<>(unwritten);
        unwritten.clear();
        tallies.forEach((k, t) -> {
            long[] counts = {t.allowed.sumThenReset(), t.denied.sumThenReset(), t.degraded.sumThenReset()};
            if (counts[0] != 0 || counts[1] != 0 || counts[2] != 0) {
                batches.computeIfAbsent(k.slice(), StatsBatch::new).addTotals(k.policy(), counts);
            } else if (k.slice() < current - 1) {
                tallies.remove(k, t);
            }
        });
        for (Long slice : offenders.keySet()) {
            SpaceSaving<String> summary = offenders.remove(slice);
            if (summary != null) {
                batches.computeIfAbsent(slice, StatsBatch::new).addOffenders(summary.snapshot());
            }
        }
        return new ArrayList<>(batches.values());
    }

    /**
     * Keeps batches a flush could not write for the next one, those of slices from {@code oldestSlice} on, merged
     * per slice and cut to {@code maxOffenders} offenders each (see {@link StatsBatch#merge}).
     */
    void keepForRetry(List<StatsBatch> batches, long oldestSlice) {
        for (StatsBatch batch : batches) {
            if (batch.slice >= oldestSlice) {
                StatsBatch kept = unwritten.putIfAbsent(batch.slice, batch);
                if (kept != null) {
                    kept.merge(batch, maxOffenders);
                } else {
                    batch.trim(maxOffenders);
                }
            }
        }
    }

    private record TallyKey(long slice, String policy) {}

    private static final class Tally {
        final LongAdder allowed = new LongAdder();
        final LongAdder denied = new LongAdder();
        final LongAdder degraded = new LongAdder();
    }
}
