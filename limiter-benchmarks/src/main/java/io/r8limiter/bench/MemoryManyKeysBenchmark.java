package io.r8limiter.bench;

import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Lookup plus decision over 10,000 live keys, each call taking the next key: r8limiter's own map against a
 * {@link ConcurrentHashMap} of peer limiters, the way applications hold Bucket4j, Resilience4j or Guava buckets per
 * key. Keys exist before measuring; the keys' own objects are made once, as a request's key would be by the caller.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MemoryManyKeysBenchmark {

    static final int KEYS = 10_000;
    static final Limit NEVER_FULL = Limit.of(1_000_000, 1, Duration.ofHours(1));

    private final BucketKey[] bucketKeys = new BucketKey[KEYS];
    private final String[] names = new String[KEYS];
    private RateLimiter r8limiter;
    private final ConcurrentHashMap<String, Bucket> bucket4j = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> bucket4jNeverFull = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicRateLimiter> resilience4j = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, com.google.common.util.concurrent.RateLimiter> guava =
            new ConcurrentHashMap<>();

    /** Each thread walks the keys from its own starting point. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next = (int) (Thread.currentThread().getId() * 7919 % KEYS);

        int next() {
            int i = next;
            next = i + 1 == KEYS ? 0 : i + 1;
            return i;
        }
    }

    @Setup
    public void setUp() {
        r8limiter = RateLimiter.builder()
                .policies(Peers.openPolicy("open"), Policy.of("never-full", NEVER_FULL))
                .build();
        for (int i = 0; i < KEYS; i++) {
            names[i] = "user-" + i;
            bucketKeys[i] = BucketKey.of(names[i]);
            r8limiter.tryConsume("open", bucketKeys[i]);
            r8limiter.tryConsume("never-full", bucketKeys[i]);
            bucket4j(i);
            bucket4jNeverFull(i);
            resilience4j(i);
            guava(i);
        }
    }

    @Benchmark
    public Decision r8limiter(Cursor cursor) {
        return r8limiter.tryConsume("open", bucketKeys[cursor.next()]);
    }

    @Benchmark
    public boolean bucket4j(Cursor cursor) {
        return bucket4j(cursor.next());
    }

    /**
     * With 10^9 tokens a second every bucket is full again before its key comes back, so r8limiter drops it and
     * makes it anew on the next visit; this policy (10^6 tokens, one more an hour) keeps every bucket held.
     */
    @Benchmark
    public Decision neverFull_r8limiter(Cursor cursor) {
        return r8limiter.tryConsume("never-full", bucketKeys[cursor.next()]);
    }

    @Benchmark
    public boolean neverFull_bucket4j(Cursor cursor) {
        return bucket4jNeverFull(cursor.next());
    }

    @Benchmark
    public boolean resilience4j(Cursor cursor) {
        return resilience4j(cursor.next());
    }

    @Benchmark
    public boolean guava(Cursor cursor) {
        return guava(cursor.next());
    }

    private boolean bucket4j(int i) {
        Bucket bucket = bucket4j.get(names[i]);
        if (bucket == null) {
            bucket = bucket4j.computeIfAbsent(names[i], k -> Peers.bucket4jOpen());
        }
        return bucket.tryConsume(1);
    }

    private boolean bucket4jNeverFull(int i) {
        Bucket bucket = bucket4jNeverFull.get(names[i]);
        if (bucket == null) {
            bucket = bucket4jNeverFull.computeIfAbsent(names[i], k -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(NEVER_FULL.capacity()).refillGreedy(1, Duration.ofHours(1)))
                    .build());
        }
        return bucket.tryConsume(1);
    }

    private boolean resilience4j(int i) {
        AtomicRateLimiter limiter = resilience4j.get(names[i]);
        if (limiter == null) {
            limiter = resilience4j.computeIfAbsent(names[i], Peers::resilience4jOpen);
        }
        return limiter.acquirePermission();
    }

    private boolean guava(int i) {
        com.google.common.util.concurrent.RateLimiter limiter = guava.get(names[i]);
        if (limiter == null) {
            limiter = guava.computeIfAbsent(names[i], k -> Peers.guavaOpen());
        }
        return limiter.tryAcquire();
    }
}
