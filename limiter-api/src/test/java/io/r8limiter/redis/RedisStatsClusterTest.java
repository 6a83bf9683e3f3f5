package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.stats.Counts;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.Totals;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;

class RedisStatsClusterTest {

    private static final Policy P1 = Policy.of("P1", Limit.of(5, 5, Duration.ofMinutes(1)));
    private static final Policy P2 =
            Policy.of("P2", Limit.of(5, 5, Duration.ofMinutes(1)), Limit.of(50, 50, Duration.ofHours(1)));

    // C14 step 3, stats part: on a 3-master Cluster the fleet's stats count 400 denials (200 per policy) and no
    // call raises a Cluster error, because every stats key shares the {stats} hash tag.
    @Test
    void stats_onACluster_countEveryDenialOfEveryInstance() {
        RedisClusterProcess cluster = SharedRedis.cluster();
        String prefix = "t14-" + UUID.randomUUID();
        try (JedisCluster a = cluster.jedisCluster();
                JedisCluster b = cluster.jedisCluster();
                RedisStats statsA = RedisStats.builder(a).keyPrefix(prefix).build();
                RedisStats statsB = RedisStats.builder(b).keyPrefix(prefix).build();
                RateLimiter limiterA =
                        RateLimiter.builder().policies(P1, P2).listener(statsA).build();
                RateLimiter limiterB =
                        RateLimiter.builder().policies(P1, P2).listener(statsB).build()) {
            for (int user = 1; user <= 200; user++) {
                for (int i = 0; i < 6; i++) {
                    limiterA.tryConsume("P1", BucketKey.of("u" + user));
                    limiterB.tryConsume("P2", BucketKey.of("v" + user));
                }
            }
            statsA.flush();
            statsB.flush();

            for (RedisStats stats : List.of(statsA, statsB)) {
                Totals totals = stats.totals();
                assertThat(totals.overall()).isEqualTo(new Counts(2_000, 400, 0));
                assertThat(totals.of("P1").denied()).isEqualTo(200);
                assertThat(totals.of("P2").denied()).isEqualTo(200);
                List<Offender> top = stats.topOffenders(50);
                assertThat(top).hasSize(50).allMatch(o -> o.denied() == 1 && o.exact());
            }
            long now = System.currentTimeMillis() / 60_000;
            assertThat(cluster.slotOf(statsA.totalsKey(now))).isEqualTo(cluster.slotOf(statsA.offendersKey(now)));
        }
    }
}
