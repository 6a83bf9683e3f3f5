package io.r8limiter;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The identity of a bucket within a policy, built from one or more parts such as a user id and a resource.
 *
 * <p>Parts are encoded unambiguously: {@code ("a:b", "c")} and {@code ("a", "b:c")} are different buckets, and any
 * Unicode, braces, colons or spaces are allowed. Parts are compared as exact code points, with no normalization.
 * A part must not be blank and may hold at most {@value #MAX_PART_BYTES} bytes of UTF-8.
 *
 * @since 0.1
 */
public final class BucketKey {

    /** Most UTF-8 bytes a part may hold. */
    public static final int MAX_PART_BYTES = 256;

    private final List<String> parts;
    private final String encoded;

    private BucketKey(List<String> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a bucket key needs at least one part");
        }
        this.parts = List.copyOf(parts);
        this.encoded = encode(this.parts);
    }

    /**
     * A key of the given parts, named in errors by their position ({@code key part 1}, ...). Adapters build one per
     * request, so a part's name is spelled out only when it is refused.
     */
    public static BucketKey of(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part == null || part.isBlank() || utf8Length(part) > MAX_PART_BYTES) {
                checkPart("key part " + (i + 1), part);
            }
        }
        return new BucketKey(List.of(parts));
    }

    /** Starts a key whose parts are named in errors, such as {@code user_id}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The parts, in order. */
    public List<String> parts() {
        return parts;
    }

    /**
     * The unambiguous encoding: parts joined by {@code :}, with {@code \} and {@code :} inside a part escaped by
     * a backslash.
     */
    public String encoded() {
        return encoded;
    }

    /** Decodes what {@link #encoded()} produced. */
    public static BucketKey decode(String encoded) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '\\' && i + 1 < encoded.length()) {
                part.append(encoded.charAt(++i));
            } else if (c == ':') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return new BucketKey(parts);
    }

    /**
     * Checks one part: not null, not blank, at most {@value #MAX_PART_BYTES} UTF-8 bytes.
     *
     * @throws IllegalArgumentException naming {@code field} and the problem
     */
    public static String checkPart(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        int bytes = utf8Length(value);
        if (bytes > MAX_PART_BYTES) {
            throw new IllegalArgumentException(
                    field + " must be at most " + MAX_PART_BYTES + " UTF-8 bytes but was " + bytes + " bytes");
        }
        return value;
    }

    /** Length of {@code s} in UTF-8 without encoding it; an unpaired surrogate counts as the 3 bytes of U+FFFD. */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String encode(List<String> parts) {
        int length = parts.size();
        for (String part : parts) {
            length += part.length();
        }
        StringBuilder sb = new StringBuilder(length + 8);
        for (String part : parts) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            if (part.indexOf(':') < 0 && part.indexOf('\\') < 0) {
                sb.append(part);
            } else {
                appendEscaped(sb, part);
            }
        }
        return sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' || c == ':') {
                sb.append('\\');
            }
            sb.append(c);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketKey k && k.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return "BucketKey" + parts;
    }

    /** Collects named parts of a {@link BucketKey}. */
    public static final class Builder {
        private final List<String> parts = new ArrayList<>();

        private Builder() {}

        /** Adds a part; {@code field} names it in the error if the value is blank or too long. */
        public Builder part(String field, String value) {
            parts.add(checkPart(requireNonNull(field, "field"), value));
            return this;
        }

        /** The key. */
        public BucketKey build() {
            return new BucketKey(parts);
        }
    }
}
