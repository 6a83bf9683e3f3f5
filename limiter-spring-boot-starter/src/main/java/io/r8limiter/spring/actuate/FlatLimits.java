package io.r8limiter.spring.actuate;

import io.r8limiter.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;

/**
 * The compact form of a policy's limits that actuator write operations take as one flat parameter:
 * {@code 100/1m,1000/1h} (100 per minute and 1000 per hour, each refilling its whole capacity over the period), or
 * {@code 100:10/1s} (capacity 100, refilling 10 per second). Periods are written as Spring Boot durations
 * ({@code 500ms}, {@code 1m}, {@code PT1H}).
 */
final class FlatLimits {

    private FlatLimits() {}

    /**
     * Parses the limits.
     *
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    static List<Limit> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("limits must not be empty; write them like 100/1m,1000/1h");
        }
        List<Limit> limits = new ArrayList<>();
        for (String entry : text.split(",")) {
            limits.add(limit(entry.trim()));
        }
        return limits;
    }

    /** The compact form of {@code limits}, as {@link #parse} reads it. */
    static String format(List<Limit> limits) {
        StringBuilder sb = new StringBuilder();
        for (Limit limit : limits) {
            sb.append(sb.length() > 0 ? "," : "").append(limit.capacity());
            if (limit.refillTokens() != limit.capacity()) {
                sb.append(':').append(limit.refillTokens());
            }
            sb.append('/').append(limit.refillPeriodMillis()).append("ms");
        }
        return sb.toString();
    }

    private static Limit limit(String entry) {
        int slash = entry.indexOf('/');
        if (slash <= 0 || slash == entry.length() - 1) {
            throw new IllegalArgumentException(
                    "limits entry '" + entry + "' must look like CAPACITY/PERIOD or CAPACITY:REFILL/PERIOD");
        }
        String amounts = entry.substring(0, slash).trim();
        int colon = amounts.indexOf(':');
        long capacity = number("capacity", entry, colon < 0 ? amounts : amounts.substring(0, colon));
        long refill = colon < 0 ? capacity : number("refill", entry, amounts.substring(colon + 1));
        return Limit.of(
                capacity, refill, period(entry, entry.substring(slash + 1).trim()));
    }

    private static long number(String field, String entry, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    field + " in limits entry '" + entry + "' must be a whole number but was '" + text.trim() + "'");
        }
    }

    private static Duration period(String entry, String text) {
        try {
            return DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("period in limits entry '" + entry
                    + "' must be a duration such as 500ms or 1m but was '" + text + "'");
        }
    }
}
