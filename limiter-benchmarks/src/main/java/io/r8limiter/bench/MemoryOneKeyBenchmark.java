package io.r8limiter.bench;

import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r8limiter.BoundBucket;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.micrometer.RateLimiterMetrics;
import io.r8limiter.stats.LocalStats;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One key shared by every thread, in memory: the allowed path (a bucket that never runs out) and the rejected path
 * (an empty bucket), for r8limiter and each peer. r8limiter goes through its front door, {@link RateLimiter}, with a
 * single-limit policy; {@code r8limiterBound} decides on a {@link BoundBucket} held by the caller, as the peers' own
 * buckets are held; {@code r8limiterMetrics} adds the Micrometer listener and {@code r8limiterStats} the local
 * window stats.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MemoryOneKeyBenchmark {

    private static final BucketKey KEY = BucketKey.of("user", "42");

    private RateLimiter r8limiter;
    private RateLimiter r8limiterMetrics;
    private RateLimiter r8limiterStats;
    private BoundBucket r8limiterBoundOpen;
    private BoundBucket r8limiterBoundClosed;
    private Bucket bucket4jOpen;
    private Bucket bucket4jClosed;
    private AtomicRateLimiter resilience4jOpen;
    private AtomicRateLimiter resilience4jClosed;
    private com.google.common.util.concurrent.RateLimiter guavaOpen;
    private com.google.common.util.concurrent.RateLimiter guavaClosed;

    @Setup
    public void setUp() {
        r8limiter = limiter(RateLimiter.builder());
        MemoryBackend metered = MemoryBackend.builder().build();
        RateLimiterMetrics metrics = new RateLimiterMetrics(metered, null);
        metrics.bindTo(new SimpleMeterRegistry());
        r8limiterMetrics = limiter(RateLimiter.builder().backend(metered).listener(metrics));
        r8limiterStats = limiter(RateLimiter.builder().listener(LocalStats.ofDefaults()));
        r8limiterBoundOpen = r8limiter.bucket("open", KEY);
        r8limiterBoundClosed = r8limiter.bucket("closed", KEY);
        bucket4jOpen = Peers.bucket4jOpen();
        bucket4jClosed = Peers.bucket4jClosed();
        resilience4jOpen = Peers.resilience4jOpen("open");
        resilience4jClosed = Peers.resilience4jClosed("closed");
        guavaOpen = Peers.guavaOpen();
        guavaClosed = Peers.guavaClosed();
    }

    private static RateLimiter limiter(RateLimiter.Builder builder) {
        RateLimiter limiter = builder.policies(Peers.openPolicy("open"), Peers.closedPolicy("closed"))
                .build();
        limiter.tryConsume("closed", KEY);
        return limiter;
    }

    @Benchmark
    public Decision allowed_r8limiter() {
        return r8limiter.tryConsume("open", KEY);
    }

    @Benchmark
    public Decision allowed_r8limiterBound() {
        return r8limiterBoundOpen.tryConsume();
    }

    @Benchmark
    public Decision allowed_r8limiterMetrics() {
        return r8limiterMetrics.tryConsume("open", KEY);
    }

    @Benchmark
    public Decision allowed_r8limiterStats() {
        return r8limiterStats.tryConsume("open", KEY);
    }

    @Benchmark
    public boolean allowed_bucket4j() {
        return bucket4jOpen.tryConsume(1);
    }

    @Benchmark
    public boolean allowed_resilience4j() {
        return resilience4jOpen.acquirePermission();
    }

    @Benchmark
    public boolean allowed_guava() {
        return guavaOpen.tryAcquire();
    }

    @Benchmark
    public Decision rejected_r8limiter() {
        return r8limiter.tryConsume("closed", KEY);
    }

    @Benchmark
    public Decision rejected_r8limiterBound() {
        return r8limiterBoundClosed.tryConsume();
    }

    @Benchmark
    public boolean rejected_bucket4j() {
        return bucket4jClosed.tryConsume(1);
    }

    @Benchmark
    public boolean rejected_resilience4j() {
        return resilience4jClosed.acquirePermission();
    }

    @Benchmark
    public boolean rejected_guava() {
        return guavaClosed.tryAcquire();
    }
}
