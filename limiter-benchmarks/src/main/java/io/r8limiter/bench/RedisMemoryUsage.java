package io.r8limiter.bench;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import io.r8limiter.redis.RedisStats;
import io.r8limiter.testkit.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.JedisPooled;

/**
 * Redis {@code MEMORY USAGE} of one bucket after one allowed decision: r8limiter's key against the minimal script's
 * key and Bucket4j's key, each under a name of the same length, for a policy of 100 tokens per minute; and the
 * memory the fleet stats take for 1,000,000 distinct offenders.
 */
public final class RedisMemoryUsage {

    private RedisMemoryUsage() {}

    /** Prints one line per figure. */
    public static void main(String[] args) {
        for (String line : measure()) {
            System.out.println(line);
        }
    }

    static List<String> measure() {
        List<String> lines = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                JedisPooled jedis = RedisClients.standalone(redis.hostAndPort(), Duration.ofSeconds(2))) {
            Policy policy = Policy.of("api", Limit.of(100, 100, Duration.ofMinutes(1)));
            RateLimiter limiter = RateLimiter.builder()
                    .backend(RedisBackend.builder().jedis(jedis).build())
                    .policies(policy)
                    .build();
            limiter.tryConsume("api", BucketKey.of("user-42"));
            Set<String> keys = jedis.keys("r8:*");
            String r8Key = keys.iterator().next();
            long r8 = usage(jedis, r8Key);

            String rawKey = "x".repeat(r8Key.length());
            new MinimalScript(jedis, 100, 100 / 60e6).tryConsume(rawKey);
            long raw = usage(jedis, rawKey);

            byte[] bucket4jKey = "b".repeat(r8Key.length()).getBytes(StandardCharsets.UTF_8);
            ProxyManager<byte[]> manager = Bucket4jJedis.casBasedBuilder(jedis)
                    .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                    .build();
            manager.builder()
                    .build(bucket4jKey, () -> io.github.bucket4j.BucketConfiguration.builder()
                            .addLimit(l -> l.capacity(100).refillGreedy(100, Duration.ofMinutes(1)))
                            .build())
                    .tryConsume(1);
            long bucket4j = usage(jedis, "b".repeat(r8Key.length()));

            lines.add("redis key " + r8Key + " (" + r8Key.length() + " characters)");
            lines.add(String.format(
                    "r8limiter: %d bytes; minimal script: %d bytes (ratio %.2f); bucket4j: %d bytes",
                    r8, raw, r8 / (double) raw, bucket4j));
            lines.add(fleetStats(jedis));
        }
        return lines;
    }

    /**
     * Issue 6 on Redis: 1,000,000 distinct keys denied once each, recorded by the fleet stats, whose offender slices
     * must stay bounded; the figure is the server's used memory before and after, and what the stats keys hold.
     */
    private static String fleetStats(JedisPooled jedis) {
        jedis.flushAll();
        long before = usedMemory(jedis);
        Policy policy = Policy.of("p", Limit.of(1, 1, Duration.ofHours(1)));
        Decision denial = new Decision(false, 0, 3_600_000, 3_600_000, 1, false, List.of());
        try (RedisStats stats = RedisStats.builder(jedis).keyPrefix("bench").build()) {
            for (int i = 0; i < HeapFootprint.KEYS; i++) {
                stats.onDecision(policy, BucketKey.of("user-" + i), denial, 0);
            }
            stats.flush();
            long after = usedMemory(jedis);
            long statsBytes = 0;
            for (String key : jedis.keys("bench:*")) {
                statsBytes += usage(jedis, key);
            }
            return String.format(
                    "issue 6 on redis: 1,000,000 distinct denied keys leave %d stats keys of %,d bytes (MEMORY USAGE);"
                            + " used_memory grew by %,d bytes; denied total %d",
                    jedis.keys("bench:*").size(),
                    statsBytes,
                    after - before,
                    stats.totals().denied());
        }
    }

    private static long usedMemory(JedisPooled jedis) {
        for (String line : jedis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("INFO memory has no used_memory");
    }

    private static long usage(JedisPooled jedis, String key) {
        Long bytes = jedis.memoryUsage(key, 0);
        if (bytes == null) {
            throw new IllegalStateException("key " + key + " does not exist");
        }
        return bytes;
    }
}
