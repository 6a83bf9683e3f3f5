package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.stats.Counts;
import io.r8limiter.stats.Totals;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;

class RedisStatsClusterTest {

    private static final Policy P1 = Policy.of("P1", Limit.of(5, 5, Duration.ofMinutes(1)));
    private static final Policy P2 =
            Policy.of("P2", Limit.of(5, 5, Duration.ofMinutes(1)), Limit.of(50, 50, Duration.ofHours(1)));

    // C14, stats part: on a 3-master Cluster, after 6 decisions for each of 200 users under P1 and P2 and then a
    // peek, a reset and one decision for u1..u20, the fleet's stats count 400 denials (200 per policy) and no call
    // raises a Cluster error, because every stats key shares the {stats} hash tag.
    @Test
    void stats_onACluster_countEveryDenialOfEveryInstance() {
        RedisClusterProcess cluster = SharedRedis.cluster();
        String prefix = "t14-" + UUID.randomUUID();
        try (JedisCluster a = cluster.jedisCluster();
                JedisCluster b = cluster.jedisCluster();
                RedisStats statsA = RedisStats.builder(a).keyPrefix(prefix).build();
                RedisStats statsB = RedisStats.builder(b).keyPrefix(prefix).build();
                RateLimiter limiterA = limiter(a, prefix, statsA);
                RateLimiter limiterB = limiter(b, prefix, statsB)) {
            CompletableFuture<Void> viaB = CompletableFuture.runAsync(() -> sixEach(limiterB, "P2", "v"));
            sixEach(limiterA, "P1", "u");
            viaB.join();
            for (int user = 1; user <= 20; user++) {
                BucketKey key = BucketKey.of("u" + user);
                assertThat(limiterB.peek("P1", key).remaining()).isZero();
                limiterB.reset("P1", key);
                assertThat(limiterA.tryConsume("P1", key).remaining()).isEqualTo(4);
            }
            statsA.flush();
            statsB.flush();

            for (RedisStats stats : List.of(statsA, statsB)) {
                Totals totals = stats.totals();
                assertThat(totals.overall()).isEqualTo(new Counts(2_020, 400, 0));
                assertThat(totals.of("P1").denied()).isEqualTo(200);
                assertThat(totals.of("P2").denied()).isEqualTo(200);
                assertThat(stats.topOffenders(500)).hasSize(400).allMatch(o -> o.denied() == 1 && o.exact());
            }
            long now = System.currentTimeMillis() / 60_000;
            assertThat(cluster.slotOf(statsA.totalsKey(now))).isEqualTo(cluster.slotOf(statsA.offendersKey(now)));
        }
    }

    private static void sixEach(RateLimiter limiter, String policy, String userPrefix) {
        for (int user = 1; user <= 200; user++) {
            for (int i = 0; i < 6; i++) {
                limiter.tryConsume(policy, BucketKey.of(userPrefix + user));
            }
        }
    }

    private static RateLimiter limiter(JedisCluster cluster, String prefix, RedisStats stats) {
        RedisBackend backend =
                RedisBackend.builder().jedis(cluster).keyPrefix(prefix).build();
        return RateLimiter.builder()
                .backend(backend)
                .policies(P1, P2)
                .listener(stats)
                .build();
    }
}
