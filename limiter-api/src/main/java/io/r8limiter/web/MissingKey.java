package io.r8limiter.web;

import java.util.Locale;

/**
 * What to do with a request whose key has no value, such as a {@code header:X-User} key on a request without that
 * header or a {@code principal} key on an anonymous request.
 *
 * @since 0.1
 */
public enum MissingKey {
    /**
     * Limit the request by its client address instead (the default), in the {@code ip} namespace, so that leaving
     * the header out neither escapes the limit nor shares a bucket with a caller whose header value looks like an
     * address.
     */
    CLIENT_IP,
    /** Let the request through without limiting or counting it. */
    SKIP,
    /** Answer 400 with a problem body naming the missing key. */
    REJECT;

    /**
     * Parses {@code client-ip}, {@code skip} or {@code reject} (case-insensitive, {@code _} for {@code -} allowed).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static MissingKey parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (MissingKey m : values()) {
            if (m.name().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("missing-key must be client-ip, skip or reject but was '" + text + "'");
    }
}
