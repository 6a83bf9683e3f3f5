package io.r8limiter.redis;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.stats.Counts;
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

    /** The outcomes counted per policy, in the order of the counters. */
    static final List<String> OUTCOMES = List.of("allowed", "denied", "degraded");

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

        /**
         * The flush script's arguments: the expiry, the number of total fields, each {@code policy|outcome} field
         * with its delta, then each offender member with its denials.
         */
        List<String> scriptArgs(long expireAtMillis) {
            List<String> args = new ArrayList<>();
            args.add(Long.toString(expireAtMillis));
            args.add("0");
            int fields = 0;
            for (Map.Entry<String, long[]> e : totals.entrySet()) {
                for (int o = 0; o < OUTCOMES.size(); o++) {
                    if (e.getValue()[o] != 0) {
                        args.add(e.getKey() + "|" + OUTCOMES.get(o));
                        args.add(Long.toString(e.getValue()[o]));
                        fields++;
                    }
                }
            }
            args.set(1, Integer.toString(fields));
            offenders.forEach((member, n) -> {
                args.add(member);
                args.add(Long.toString(n));
            });
            return args;
        }

        /**
         * Sums {@code policy|outcome} fields and values, as read back from any number of slices, per policy. The
         * outcome follows the last bar, so a policy name may hold bars too; unknown fields are skipped.
         */
        static Map<String, Counts> sumFields(List<String> fieldsAndValues) {
            Map<String, long[]> sums = new HashMap<>();
            for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
                String field = fieldsAndValues.get(i);
                int bar = field.lastIndexOf('|');
                int outcome = bar < 0 ? -1 : OUTCOMES.indexOf(field.substring(bar + 1));
                if (outcome >= 0) {
                    long value = Long.parseLong(fieldsAndValues.get(i + 1));
                    sums.computeIfAbsent(field.substring(0, bar), p -> new long[3])[outcome] += value;
                }
            }
            Map<String, Counts> byPolicy = new HashMap<>();
            sums.forEach((policy, c) -> byPolicy.put(policy, new Counts(c[0], c[1], c[2])));
            return byPolicy;
        }

        /** This batch cut into batches of at most {@code maxOffenders} offenders, the totals in the first. */
        List<Batch> split(int maxOffenders) {
            List<Batch> parts = new ArrayList<>();
            Batch part = new Batch(slice);
            part.totals.putAll(totals);
            for (Map.Entry<String, Long> e : offenders.entrySet()) {
                if (part.offenders.size() == maxOffenders) {
                    parts.add(part);
                    part = new Batch(slice);
                }
                part.offenders.put(e.getKey(), e.getValue());
            }
            parts.add(part);
            return parts;
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
