package io.r8limiter;

/**
 * The figures of one limit of a policy at the moment of a decision or peek.
 *
 * @param limit the limit these figures describe
 * @param remaining whole tokens left, rounded down, never negative
 * @param resetMillis milliseconds until the bucket is full again, rounded up; 0 when full
 * @param retryAfterMillis milliseconds until the requested cost fits this limit, rounded up; 0 when it fits now
 * @since 0.1
 */
public record LimitStatus(Limit limit, long remaining, long resetMillis, long retryAfterMillis) {}
