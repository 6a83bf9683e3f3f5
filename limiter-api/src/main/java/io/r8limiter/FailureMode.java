package io.r8limiter;

/**
 * What a remote backend answers when its store fails or is too slow. Every such decision is flagged
 * {@link Decision#degraded() degraded}.
 *
 * @since 0.1
 */
public enum FailureMode {
    /** Allow the request (the default): an outage never blocks traffic. */
    OPEN,
    /** Deny the request: an outage never lets traffic through. */
    CLOSED,
    /** Decide on in-memory buckets local to this instance until the store is back. */
    LOCAL
}
