/**
 * Statistics over a recent window: decisions by policy and outcome, and the keys denied most often.
 *
 * <p>{@link io.r8limiter.stats.RateLimitStats} is a {@link io.r8limiter.DecisionListener}: register it with
 * {@code RateLimiter.builder().listener(stats)}. {@link io.r8limiter.stats.LocalStats} counts within one process in
 * bounded memory; {@code io.r8limiter.redis.RedisStats} counts for a whole fleet of instances in Redis.
 */
@NullMarked
package io.r8limiter.stats;

import org.jspecify.annotations.NullMarked;
