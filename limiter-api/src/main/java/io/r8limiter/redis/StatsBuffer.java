package io.r8limiter.redis;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one {@link RedisStats} instance counted since its last flush, per slice: decision counters per policy
 * ({@link LongAdder}s, drained with {@code sumThenReset}, which loses no concurrent increment) and denials per
 * offender member (merged and removed atomically in a concurrent map, so each denial is flushed exactly once).
 *
 * <p>At most {@code maxOffenders} distinct offenders wait at once; denials of further new offenders are dropped and
 * counted in {@link #dropped()} until the next flush makes room.
 */
final class StatsBuffer {

    private final Map<TallyKey, Tally> tallies = new ConcurrentHashMap<>();
    private final Map<OffenderKey, Long> offenders = new ConcurrentHashMap<>();
    private final int maxOffenders;
    private final LongAdder dropped = new LongAdder();

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
        OffenderKey offender = new OffenderKey(slice, OffenderMembers.of(policy, key));
        int waiting = offenders.size();
        if (waiting >= maxOffenders && !offenders.containsKey(offender)) {
            dropped.increment();
        } else {
            offenders.merge(offender, 1L, Long::sum);
        }
        return waiting >= maxOffenders / 2;
    }

    /**
     * Takes everything counted so far, oldest slice first. Counters of slices before {@code current - 1} that
     * stay empty are dropped; a writer would need a clock read over a slice old to still touch them.
     */
    List<Batch> drain(long current) {
        Map<Long, Batch> batches = new TreeMap<>();
        tallies.forEach((k, t) -> {
            long[] counts = {t.allowed.sumThenReset(), t.denied.sumThenReset(), t.degraded.sumThenReset()};
            if (counts[0] != 0 || counts[1] != 0 || counts[2] != 0) {
                batches.computeIfAbsent(k.slice(), Batch::new).totals.put(k.policy(), counts);
            } else if (k.slice() < current - 1) {
                tallies.remove(k, t);
            }
        });
        for (OffenderKey k : offenders.keySet()) {
            Long denials = offenders.remove(k);
            if (denials != null) {
                batches.computeIfAbsent(k.slice(), Batch::new).offenders.put(k.member(), denials);
            }
        }
        return new ArrayList<>(batches.values());
    }

    /** Puts back a batch that could not be written, to be retried by the next flush. */
    void restore(Batch batch) {
        batch.totals.forEach((policy, counts) -> {
            Tally tally = tallies.computeIfAbsent(new TallyKey(batch.slice, policy), k -> new Tally());
            tally.allowed.add(counts[0]);
            tally.denied.add(counts[1]);
            tally.degraded.add(counts[2]);
        });
        batch.offenders.forEach((member, n) -> offenders.merge(new OffenderKey(batch.slice, member), n, Long::sum));
    }

    /** Denials not counted per offender because too many offenders were waiting. */
    long dropped() {
        return dropped.sum();
    }

    /** One slice's counts: per policy {allowed, denied, degraded}, and denials per offender member. */
    static final class Batch {
        final long slice;
        final Map<String, long[]> totals = new HashMap<>();
        final Map<String, Long> offenders = new HashMap<>();

        Batch(long slice) {
            this.slice = slice;
        }
    }

    private record TallyKey(long slice, String policy) {}

    private record OffenderKey(long slice, String member) {}

    private static final class Tally {
        final LongAdder allowed = new LongAdder();
        final LongAdder denied = new LongAdder();
        final LongAdder degraded = new LongAdder();
    }
}
