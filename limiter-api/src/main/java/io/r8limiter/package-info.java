/**
 * r8limiter's front door: {@link io.r8limiter.RateLimiter} decides, {@link io.r8limiter.Policy} and
 * {@link io.r8limiter.Limit} describe token buckets, {@link io.r8limiter.Decision} reports the answer.
 *
 * <p>Backends live behind {@link io.r8limiter.RateLimitBackend}: the in-memory one in {@code io.r8limiter.memory}
 * and the Redis one in {@code io.r8limiter.redis}, which is the only package that needs Jedis.
 */
@NullMarked
package io.r8limiter;

import org.jspecify.annotations.NullMarked;
