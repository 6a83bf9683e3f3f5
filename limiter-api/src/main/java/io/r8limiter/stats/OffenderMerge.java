package io.r8limiter.stats;

import io.r8limiter.stats.internal.SpaceSaving;
import java.util.ArrayList;
import java.util.List;

/** Merges the Space-Saving summaries of several slices into one ranking (see {@link SpaceSaving#merge}). */
final class OffenderMerge {

    private OffenderMerge() {}

    static List<Offender> top(List<SpaceSaving.Snapshot<Slice.OffenderId>> slices, int limit) {
        List<Offender> all = new ArrayList<>();
        for (SpaceSaving.Entry<Slice.OffenderId> e : SpaceSaving.merge(slices)) {
            all.add(new Offender(e.item().policy(), e.item().key(), e.count(), e.error()));
        }
        all.sort(Offender.ORDER);
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }
}
