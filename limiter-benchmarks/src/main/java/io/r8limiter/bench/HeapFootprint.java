package io.r8limiter.bench;

import io.github.bucket4j.Bucket;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.stats.LocalStats;
import io.r8limiter.stats.RateLimitStats;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/**
 * Retained heap, measured as used heap after full collections: bytes per live key at 1,000,000 keys for r8limiter
 * and a map of Bucket4j buckets (the keys' own strings and objects are made before the baseline, so they are
 * excluded), case C11 run 3 (1,000,000 keys, then idle until full, then swept) and window stats fed 1,000,000
 * distinct denied keys. Run with a fixed heap, for example {@code -Xms2g -Xmx2g}.
 */
public final class HeapFootprint {

    static final int KEYS = 1_000_000;

    private HeapFootprint() {}

    /** Prints one line per figure. */
    public static void main(String[] args) throws InterruptedException {
        for (String line : measureAll()) {
            System.out.println(line);
        }
    }

    static List<String> measureAll() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("r8limiter: %.1f bytes per live key at %,d keys", perKeyR8limiter(), KEYS));
        lines.add(String.format("bucket4j map: %.1f bytes per live key at %,d keys", perKeyBucket4j(), KEYS));
        lines.add(String.format("C11 run 3: %.1f MB retained after 1,000,000 keys went idle and were swept", c11()));
        lines.add(String.format(
                "issue 6: %.1f MB retained by local stats after 1,000,000 distinct denied keys", stats()));
        return lines;
    }

    static double perKeyR8limiter() {
        BucketKey[] keys = new BucketKey[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = BucketKey.of("user-" + i);
        }
        Policy slow = Policy.of("p", Limit.of(10, 10, Duration.ofHours(1)));
        RateLimiter limiter = RateLimiter.builder().policies(slow).build();
        long before = retained();
        for (BucketKey key : keys) {
            limiter.tryConsume("p", key);
        }
        long after = retained();
        check(((MemoryBackend) limiter.backend()).size() == KEYS, "every key is live");
        reach(keys, limiter);
        return (after - before) / (double) KEYS;
    }

    static double perKeyBucket4j() {
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user-" + i;
        }
        Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        long before = retained();
        for (String key : keys) {
            buckets.computeIfAbsent(key, k -> Bucket.builder()
                            .addLimit(limit -> limit.capacity(10).refillGreedy(10, Duration.ofHours(1)))
                            .build())
                    .tryConsume(1);
        }
        long after = retained();
        reach(keys, buckets);
        return (after - before) / (double) KEYS;
    }

    /** C11 run 3: capacity 10, 10 per second, 1,000,000 keys once each on the real clock, idle until full, swept. */
    static double c11() throws InterruptedException {
        Policy policy = Policy.of("p", Limit.of(10, 10, Duration.ofSeconds(1)));
        MemoryBackend backend = MemoryBackend.builder().build();
        RateLimiter limiter =
                RateLimiter.builder().backend(backend).policies(policy).build();
        long before = retained();
        forEachKey(i -> limiter.tryConsume("p", BucketKey.of("user-" + i)));
        Thread.sleep(1_100);
        limiter.tryConsume("p", BucketKey.of("one-more"));
        backend.sweep();
        long after = retained();
        reach(limiter);
        return (after - before) / 1e6;
    }

    /** Issue 6: 1,000,000 distinct keys denied once each, recorded by the default local stats. */
    static double stats() {
        RateLimitStats stats = LocalStats.ofDefaults();
        Policy policy = Policy.of("p", Limit.of(1, 1, Duration.ofHours(1)));
        Decision denial = new Decision(false, 0, 3_600_000, 3_600_000, 1, false, List.of());
        long before = retained();
        forEachKey(i -> stats.onDecision(policy, BucketKey.of("user-" + i), denial, 0));
        long after = retained();
        reach(stats);
        return (after - before) / 1e6;
    }

    private static void forEachKey(IntConsumer action) {
        for (int i = 0; i < KEYS; i++) {
            action.accept(i);
        }
    }

    /** Used heap after collections have stopped freeing anything. */
    static long retained() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used - 64 * 1024) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** Keeps objects reachable up to here, so a collection before cannot free them. */
    private static void reach(Object... objects) {
        Reference.reachabilityFence(objects);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("measurement invalid: not true that " + what);
        }
    }
}
