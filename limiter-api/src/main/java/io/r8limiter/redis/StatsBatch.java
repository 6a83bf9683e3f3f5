package io.r8limiter.redis;

import io.r8limiter.stats.Counts;
import io.r8limiter.stats.internal.SpaceSaving;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One slice's counts as one {@link RedisStats} instance writes them: per policy {allowed, denied, degraded}, per
 * offender member {denials, error}, and {@code extra}, the most denials any offender of the slice may have had that
 * are missing from its count (the floors of summaries whose unlisted members were let go).
 */
final class StatsBatch {

    /** The outcomes counted per policy, in the order of the counters. */
    static final List<String> OUTCOMES = List.of("allowed", "denied", "degraded");

    final long slice;
    final Map<String, long[]> totals = new HashMap<>();
    final Map<String, long[]> offenders = new LinkedHashMap<>();
    long extra;

    StatsBatch(long slice) {
        this.slice = slice;
    }

    void addTotals(String policy, long[] counts) {
        long[] sum = totals.computeIfAbsent(policy, p -> new long[OUTCOMES.size()]);
        for (int o = 0; o < sum.length; o++) {
            sum[o] += counts[o];
        }
    }

    /** Adds a summary's counters; its floor bounds what its unlisted members lost, so it joins {@code extra}. */
    void addOffenders(SpaceSaving.Snapshot<String> summary) {
        for (SpaceSaving.Entry<String> e : summary.entries()) {
            addOffender(e.item(), e.count(), e.error());
        }
        extra += summary.floor();
    }

    /**
     * Adds {@code other}, a batch of the same slice that could not be written, then keeps the {@code maxOffenders}
     * most denied offenders; the largest count let go joins {@code extra}, so the shared bound stays true.
     */
    void merge(StatsBatch other, int maxOffenders) {
        other.totals.forEach(this::addTotals);
        other.offenders.forEach((member, c) -> addOffender(member, c[0], c[1]));
        extra += other.extra;
        trim(maxOffenders);
    }

    /** Keeps the {@code maxOffenders} most denied offenders; the largest count let go joins {@code extra}. */
    void trim(int maxOffenders) {
        if (offenders.size() <= maxOffenders) {
            return;
        }
        List<Map.Entry<String, long[]>> ranked = byDenials();
        Map<String, long[]> kept = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ranked.subList(0, maxOffenders)) {
            kept.put(e.getKey(), e.getValue());
        }
        extra += ranked.get(maxOffenders).getValue()[0];
        offenders.clear();
        offenders.putAll(kept);
    }

    /**
     * This batch cut into batches of at most {@code maxOffenders} offenders, most denied first so that the heaviest
     * are placed before the light ones take over counters; the totals and {@code extra} go in the first.
     */
    List<StatsBatch> split(int maxOffenders) {
        List<StatsBatch> parts = new ArrayList<>();
        StatsBatch part = new StatsBatch(slice);
        part.totals.putAll(totals);
        part.extra = extra;
        for (Map.Entry<String, long[]> e : byDenials()) {
            if (part.offenders.size() == maxOffenders) {
                parts.add(part);
                part = new StatsBatch(slice);
            }
            part.offenders.put(e.getKey(), e.getValue());
        }
        parts.add(part);
        return parts;
    }

    /**
     * The flush script's arguments: the expiry, the capacity, {@code extra}, the number of total fields, each
     * {@code policy|outcome} field with its delta, then each offender member with its denials and error.
     */
    List<String> scriptArgs(long expireAtMillis, int capacity) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(expireAtMillis));
        args.add(Integer.toString(capacity));
        args.add(Long.toString(extra));
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
        args.set(3, Integer.toString(fields));
        offenders.forEach((member, c) -> {
            args.add(member);
            args.add(Long.toString(c[0]));
            args.add(Long.toString(c[1]));
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

    private void addOffender(String member, long denials, long error) {
        long[] c = offenders.computeIfAbsent(member, m -> new long[2]);
        c[0] += denials;
        c[1] += error;
    }

    private List<Map.Entry<String, long[]>> byDenials() {
        List<Map.Entry<String, long[]>> ranked = new ArrayList<>(offenders.entrySet());
        ranked.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        return ranked;
    }
}
