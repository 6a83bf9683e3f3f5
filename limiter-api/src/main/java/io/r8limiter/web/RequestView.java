package io.r8limiter.web;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The few facts about an HTTP request that key resolution reads, implemented by each adapter over its own request
 * type so that resolution is written once.
 *
 * <p>Implementations must not resolve host names: {@link #remoteAddress()} is the literal address the container
 * reports.
 *
 * @since 0.1
 */
public interface RequestView {

    /** The direct peer's address (the TCP client, which may be a proxy), as a literal IPv4 or IPv6 address. */
    String remoteAddress();

    /** Every value of the header {@code name} (case-insensitive), one element per header line in arrival order. */
    List<String> headers(String name);

    /** The first value of the header {@code name}, or null when absent. */
    default @Nullable String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first value of the query parameter {@code name}, or null when absent. */
    @Nullable
    String queryParameter(String name);

    /** The authenticated principal's name, or null for an anonymous request. */
    @Nullable
    String principalName();
}
