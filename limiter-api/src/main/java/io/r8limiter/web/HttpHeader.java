package io.r8limiter.web;

import static java.util.Objects.requireNonNull;

/**
 * One response header field as a name and a value, ready to be copied onto any framework's response.
 *
 * @param name the field name, such as {@code Retry-After}
 * @param value the field value, printable ASCII only
 * @since 0.1
 */
public record HttpHeader(String name, String value) {

    public HttpHeader {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
    }
}
