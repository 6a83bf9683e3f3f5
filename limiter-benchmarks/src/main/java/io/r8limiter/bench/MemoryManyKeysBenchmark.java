package io.r8limiter.bench;

import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.RateLimiter;
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

    private final BucketKey[] bucketKeys = new BucketKey[KEYS];
    private final String[] names = new String[KEYS];
    private RateLimiter r8limiter;
    private final ConcurrentHashMap<String, Bucket> bucket4j = new ConcurrentHashMap<>();
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
        r8limiter = RateLimiter.builder().policies(Peers.openPolicy("open")).build();
        for (int i = 0; i < KEYS; i++) {
            names[i] = "user-" + i;
            bucketKeys[i] = BucketKey.of(names[i]);
            r8limiter.tryConsume("open", bucketKeys[i]);
            bucket4j(i);
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
