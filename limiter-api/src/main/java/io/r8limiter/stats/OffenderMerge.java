package io.r8limiter.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the Space-Saving summaries of several slices into one ranking.
 *
 * <p>For each item listed in any slice, the merged count adds the slice's count where the item is listed and the
 * slice's floor where it is not (the most it can have occurred there unseen); the error adds the listed errors and
 * those floors. So the merged count still never undercounts, overcounts by at most the merged error, and is exact
 * when no slice ever evicted a counter.
 */
final class OffenderMerge {

    private OffenderMerge() {}

    static List<Offender> top(List<SpaceSaving.Snapshot<Slice.OffenderId>> slices, int limit) {
        Map<Slice.OffenderId, long[]> merged = new HashMap<>();
        long floors = 0;
        for (SpaceSaving.Snapshot<Slice.OffenderId> slice : slices) {
            floors += slice.floor();
            for (SpaceSaving.Entry<Slice.OffenderId> e : slice.entries()) {
                long[] sum = merged.computeIfAbsent(e.item(), k -> new long[3]);
                sum[0] += e.count();
                sum[1] += e.error();
                sum[2] += slice.floor(); // floors of slices that list the item, taken back out below
            }
        }
        List<Offender> all = new ArrayList<>(merged.size());
        for (Map.Entry<Slice.OffenderId, long[]> m : merged.entrySet()) {
            long[] sum = m.getValue();
            long unlisted = floors - sum[2];
            all.add(new Offender(m.getKey().policy(), m.getKey().key(), sum[0] + unlisted, sum[1] + unlisted));
        }
        all.sort(Offender.ORDER);
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
}
