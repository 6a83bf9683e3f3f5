package io.r8limiter.redis;

import io.r8limiter.stats.Offender;
import io.r8limiter.stats.internal.SpaceSaving;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back the offender summary of one stats slice, as {@code stats-slice.lua} returns it, and ranks the summaries
 * of a window.
 *
 * <p>A listed member's count is its score plus the slice's {@code !extra}, and its error its stored error plus that
 * extra: the true count lies between the score minus the stored error (what Redis surely received) and the score plus
 * the extra (what instances may have let go). A member not listed had at most the smallest score, once some member
 * was taken over ({@code !evicted}), plus the extra.
 */
final class OffenderSummary {

    static final String EVICTED = "!evicted";
    static final String EXTRA = "!extra";

    private OffenderSummary() {}

    /** One slice's summary from the script's reply: {members and scores, lowest first; the error hash}. */
    static SpaceSaving.Snapshot<String> parse(Object reply) {
        List<Object> parts = list(reply);
        List<String> scored = strings(parts.get(0));
        Map<String, Long> errors = new HashMap<>();
        List<String> flat = strings(parts.get(1));
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            errors.put(flat.get(i), Long.parseLong(flat.get(i + 1)));
        }
        long extra = errors.getOrDefault(EXTRA, 0L);
        List<SpaceSaving.Entry<String>> entries = new ArrayList<>(scored.size() / 2);
        for (int i = scored.size() - 2; i >= 0; i -= 2) {
            long denials = (long) Double.parseDouble(scored.get(i + 1));
            entries.add(new SpaceSaving.Entry<>(
                    scored.get(i), denials + extra, errors.getOrDefault(scored.get(i), 0L) + extra));
        }
        boolean evicted = errors.containsKey(EVICTED) && !scored.isEmpty();
        long smallest = evicted ? (long) Double.parseDouble(scored.get(1)) : 0;
        return new SpaceSaving.Snapshot<>(entries, smallest + extra);
    }

    /** The {@code limit} most denied offenders of the merged slices, in {@link Offender#ORDER}. */
    static List<Offender> top(List<SpaceSaving.Snapshot<String>> slices, int limit) {
        List<Offender> all = new ArrayList<>();
        for (SpaceSaving.Entry<String> e : SpaceSaving.merge(slices)) {
            OffenderMembers.Parsed id = OffenderMembers.parse(e.item());
            all.add(new Offender(id.policy(), id.key(), e.count(), e.error()));
        }
        all.sort(Offender.ORDER);
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object reply) {
        return (List<Object>) reply;
    }

    static List<String> strings(Object reply) {
        List<Object> items = list(reply);
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(item instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(item));
        }
        return out;
    }
}
