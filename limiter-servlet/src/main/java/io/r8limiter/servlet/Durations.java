package io.r8limiter.servlet;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads durations as Spring Boot users write them: {@code 500ms}, {@code 1s}, {@code 1m}, {@code 2h}, {@code 1d},
 * a bare number of milliseconds, or ISO-8601 such as {@code PT1M}. */
final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("^([+]?\\d{1,15})(ms|s|m|h|d)?$");

    private Durations() {}

    /**
     * The duration, or null when {@code text} is none of the accepted forms.
     *
     * @throws ArithmeticException when the amount is too large for a {@link Duration}
     */
    static @Nullable Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            return switch (unit) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofMillis(amount);
            };
        }
        if (t.startsWith("p") || t.startsWith("-p") || t.startsWith("+p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException overflow) {
                    throw overflow;
                }
                return null;
            }
        }
        return null;
    }
}
