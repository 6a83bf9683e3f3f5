package io.r8limiter.sample;

import org.jspecify.annotations.Nullable;

/** Reads the {@code cost} request parameter: a positive whole number, 1 when absent. */
final class Costs {

    private static final int MAX_ECHO = 40;

    private Costs() {}

    /**
     * The cost a request asks for.
     *
     * @throws IllegalArgumentException naming {@code cost} and the value when it is not a positive integer
     */
    static long parse(@Nullable String raw) {
        if (raw == null) {
            return 1;
        }
        if (raw.isEmpty() || raw.length() > 19 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw notPositive(raw);
        }
        try {
            long cost = Long.parseLong(raw);
            if (cost > 0) {
                return cost;
            }
        } catch (NumberFormatException e) {
            // above Long.MAX_VALUE: reported below like any other non-positive-integer value
        }
        throw notPositive(raw);
    }

    private static IllegalArgumentException notPositive(String raw) {
        return new IllegalArgumentException("cost must be a positive integer but was '" + Echo.of(raw, MAX_ECHO) + "'");
    }
}
