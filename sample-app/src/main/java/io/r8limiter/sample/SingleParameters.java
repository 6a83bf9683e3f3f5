package io.r8limiter.sample;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads request parameters that may appear at most once. Spring's {@code @RequestParam String} joins repeated values
 * with commas, which would turn {@code user_id=a&user_id=b} into the user {@code a,b}; here a repeat is bad input.
 */
final class SingleParameters {

    private SingleParameters() {}

    /**
     * The value of {@code name}, or null when absent.
     *
     * @throws IllegalArgumentException naming the parameter when it is given more than once
     */
    static @Nullable String get(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw new IllegalArgumentException(
                    name + " must be given at most once but was given " + values.length + " times");
        }
        return values[0];
    }
}
