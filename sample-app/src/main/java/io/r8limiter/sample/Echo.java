package io.r8limiter.sample;

/** Shortens a caller's value before an error message repeats it, so a 10,000-character id is not sent back whole. */
final class Echo {

    private Echo() {}

    /** {@code value}, cut to {@code max} characters with an ellipsis when longer. */
    static String of(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end) + "...";
    }
}
