package io.r8limiter.bench;

import com.google.common.util.concurrent.RateLimiter;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import java.time.Duration;

/**
 * The two bucket shapes every benchmark uses, built the same way for r8limiter and each peer: an open bucket that
 * never runs out (a billion tokens, refilled a billion per second, the most Bucket4j accepts) and a closed one that
 * holds one token per hour and is emptied before measuring, so every call is a rejection.
 */
final class Peers {

    static final long OPEN_CAPACITY = 1_000_000_000L;
    static final Duration OPEN_PERIOD = Duration.ofSeconds(1);
    static final Duration CLOSED_PERIOD = Duration.ofHours(1);

    private Peers() {}

    static Policy openPolicy(String name) {
        return Policy.of(name, Limit.of(OPEN_CAPACITY, OPEN_CAPACITY, OPEN_PERIOD));
    }

    static Policy closedPolicy(String name) {
        return Policy.of(name, Limit.of(1, 1, CLOSED_PERIOD));
    }

    static BucketConfiguration bucket4jOpenConfiguration() {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(OPEN_CAPACITY).refillGreedy(OPEN_CAPACITY, OPEN_PERIOD))
                .build();
    }

    static Bucket bucket4jOpen() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(OPEN_CAPACITY).refillGreedy(OPEN_CAPACITY, OPEN_PERIOD))
                .build();
    }

    static Bucket bucket4jClosed() {
        Bucket bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, CLOSED_PERIOD))
                .build();
        bucket.tryConsume(1);
        return bucket;
    }

    static AtomicRateLimiter resilience4jOpen(String name) {
        return new AtomicRateLimiter(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(Integer.MAX_VALUE)
                        .limitRefreshPeriod(OPEN_PERIOD)
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    static AtomicRateLimiter resilience4jClosed(String name) {
        AtomicRateLimiter limiter = new AtomicRateLimiter(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(1)
                        .limitRefreshPeriod(CLOSED_PERIOD)
                        .timeoutDuration(Duration.ZERO)
                        .build());
        limiter.acquirePermission();
        return limiter;
    }

    static RateLimiter guavaOpen() {
        return RateLimiter.create(OPEN_CAPACITY);
    }

    static RateLimiter guavaClosed() {
        RateLimiter limiter = RateLimiter.create(1.0 / CLOSED_PERIOD.toSeconds());
        limiter.tryAcquire();
        return limiter;
    }
}
