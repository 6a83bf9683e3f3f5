package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.redis.RedisClients;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.RedisSentinelGroup;
import io.r8limiter.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sentinel failover and Cluster slot migration under load. The decision service reads only
 * {@code spring.data.redis.url} (standalone) so far, so these run at the core level: {@link RedisBackend} on the
 * {@link UnifiedJedis} the starter would build, with the CLOSED failure mode, so a degraded answer is a denial.
 */
class TopologySystemTest {

    static final Duration TIMEOUT = Duration.ofMillis(200);
    static final Policy POLICY = Policy.builder("topology")
            .limit(1_000_000, 1_000_000, Duration.ofSeconds(1))
            .build();

    /** One decision as the caller saw it. */
    record Outcome(long completedNanos, long latencyNanos, boolean degraded, boolean allowed, String error) {}

    @Test
    void sentinelFailover_decisionsContinue_withAtMostTheFailureModesAnswerDuringTheSwitch() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start();
                UnifiedJedis jedis = RedisClients.sentinel(group.masterName(), group.sentinelHostAndPorts(), TIMEOUT);
                RateLimiter limiter = limiter(jedis)) {
            Traffic traffic = new Traffic(limiter, i -> BucketKey.of("sentinel-" + (i % 40)));
            traffic.awaitNormalAfter(System.nanoTime());

            long switchAt = System.nanoTime();
            group.failover();
            long switchedAt = System.nanoTime();
            long recovered = traffic.awaitNormalAfter(switchedAt);
            traffic.stop();

            assertContinuity(traffic, switchAt);
            System.out.printf(
                    "sentinel failover: %d ms switch, normal decisions %d ms after, %d degraded of %d%n",
                    (switchedAt - switchAt) / 1_000_000, recovered, traffic.degraded(), traffic.outcomes.size());
        }
    }

    @Test
    void clusterSlotMigration_decisionsContinue_andTheMovedBucketKeepsItsState() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start();
                UnifiedJedis jedis = RedisClients.cluster(cluster.hostAndPorts(), TIMEOUT);
                RateLimiter limiter = limiter(jedis)) {
            BucketKey moved = BucketKey.of("migrating-user");
            Policy exact =
                    Policy.builder("exact").limit(50, 1, Duration.ofDays(30)).build();
            RateLimiter exactLimiter = RateLimiter.builder()
                    .backend(backend(jedis))
                    .policies(exact)
                    .build();
            for (int i = 0; i < 20; i++) {
                exactLimiter.tryConsume("exact", moved, 1);
            }
            String storedKey = bucketKeys(cluster).get(0);
            int slot = cluster.slotOf(storedKey);
            RedisServerProcess source = cluster.masterForSlot(slot);
            RedisServerProcess target = cluster.masters().stream()
                    .filter(m -> m != source)
                    .findFirst()
                    .orElseThrow();
            Traffic traffic = new Traffic(limiter, i -> BucketKey.of("cluster-" + (i % 200)));
            traffic.awaitNormalAfter(System.nanoTime());

            long switchAt = System.nanoTime();
            cluster.migrateSlot(slot, target);
            long after = System.nanoTime();
            traffic.awaitNormalAfter(after);
            Decision next = exactLimiter.tryConsume("exact", moved, 1);
            traffic.stop();
            exactLimiter.close();

            assertThat(cluster.masterForSlot(slot)).isSameAs(target);
            assertThat(next.degraded()).isFalse();
            assertThat(next.remaining()).isEqualTo(29);
            assertContinuity(traffic, switchAt);
            assertThat(cluster.keysWithoutTtl()).allMatch(k -> k.startsWith("r8:1:{policies}"));
            System.out.printf(
                    "cluster slot %d migrated in %d ms: %d degraded of %d decisions%n",
                    slot, (after - switchAt) / 1_000_000, traffic.degraded(), traffic.outcomes.size());
        }
    }

    private static void assertContinuity(Traffic traffic, long switchAt) {
        assertThat(traffic.outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(traffic.outcomes).filteredOn(Outcome::degraded).allSatisfy(o -> assertThat(o.allowed())
                .isFalse());
        assertThat(traffic.outcomes)
                .filteredOn(o -> o.completedNanos() < switchAt)
                .noneMatch(Outcome::degraded);
        assertThat(traffic.outcomes)
                .allSatisfy(o -> assertThat(o.latencyNanos() / 1_000_000).isLessThanOrEqualTo(1_000));
    }

    /** The bucket keys stored on any master. */
    private static List<String> bucketKeys(RedisClusterProcess cluster) {
        List<String> keys = new ArrayList<>();
        for (RedisServerProcess master : cluster.masters()) {
            try (var jedis = master.jedis()) {
                keys.addAll(jedis.keys("r8:*"));
            }
        }
        return keys.stream()
                .filter(k -> !k.contains("{stats}") && !k.contains("{policies}"))
                .toList();
    }

    private static RateLimiter limiter(UnifiedJedis jedis) {
        return RateLimiter.builder().backend(backend(jedis)).policies(POLICY).build();
    }

    private static RedisBackend backend(UnifiedJedis jedis) {
        return RedisBackend.builder()
                .jedis(jedis)
                .failureMode(FailureMode.CLOSED)
                .build();
    }

    /** Four threads deciding in a loop until stopped. */
    static final class Traffic {

        final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Traffic(RateLimiter limiter, LongFunction<BucketKey> keys) {
            for (int t = 0; t < 4; t++) {
                int offset = t;
                Thread thread = new Thread(() -> run(limiter, keys, offset), "traffic-" + t);
                thread.start();
                threads.add(thread);
            }
        }

        private void run(RateLimiter limiter, LongFunction<BucketKey> keys, int offset) {
            for (long i = offset; running.get(); i += 4) {
                long start = System.nanoTime();
                try {
                    Decision d = limiter.tryConsume(POLICY.name(), keys.apply(i), 1);
                    long now = System.nanoTime();
                    outcomes.add(new Outcome(now, now - start, d.degraded(), d.allowed(), null));
                } catch (RuntimeException e) {
                    long now = System.nanoTime();
                    outcomes.add(new Outcome(now, now - start, false, false, e.toString()));
                }
            }
        }

        /** Waits for a normal decision completed after {@code since}; returns how long after it came, in ms. */
        long awaitNormalAfter(long since) {
            Supplier<Long> first = () -> outcomes.stream()
                    .filter(o -> o.completedNanos() > since && !o.degraded() && o.error() == null)
                    .mapToLong(Outcome::completedNanos)
                    .min()
                    .orElse(-1);
            await().atMost(30, TimeUnit.SECONDS).until(() -> first.get() > 0);
            return (first.get() - since) / 1_000_000;
        }

        long degraded() {
            return outcomes.stream().filter(Outcome::degraded).count();
        }

        void stop() {
            running.set(false);
            for (Thread t : threads) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
