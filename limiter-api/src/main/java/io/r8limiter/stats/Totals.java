package io.r8limiter.stats;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decisions over a window, by policy and in all.
 *
 * @param window how far back the counts reach
 * @param overall the sum over every policy
 * @param byPolicy each policy's counts, sorted by name; policies without decisions in the window are absent
 * @since 0.1
 */
public record Totals(Duration window, Counts overall, Map<String, Counts> byPolicy) {

    public Totals {
        requireNonNull(window, "window");
        requireNonNull(overall, "overall");
        byPolicy = Collections.unmodifiableMap(new TreeMap<>(byPolicy));
    }

    /** Totals whose overall counts are the sum of {@code byPolicy}. */
    public static Totals of(Duration window, Map<String, Counts> byPolicy) {
        Counts overall = Counts.ZERO;
        for (Counts counts : byPolicy.values()) {
            overall = overall.plus(counts);
        }
        return new Totals(window, overall, byPolicy);
    }

    /** Allowed decisions of every policy. */
    public long allowed() {
        return overall.allowed();
    }

    /** Denied decisions of every policy. */
    public long denied() {
        return overall.denied();
    }

    /** Degraded decisions of every policy (also counted as allowed or denied). */
    public long degraded() {
        return overall.degraded();
    }

    /** The counts of {@code policy}, zero when it made no decision in the window. */
    public Counts of(String policy) {
        return byPolicy.getOrDefault(policy, Counts.ZERO);
    }
}
