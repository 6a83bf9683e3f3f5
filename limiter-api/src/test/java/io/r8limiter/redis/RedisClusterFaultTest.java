package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SlotMigration;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;

/** A Cluster of its own, reshaped and stalled: redirects are followed, a timed-out script is never resent. */
class RedisClusterFaultTest {

    private static final Policy POLICY = Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)));
    private static RedisClusterProcess cluster;

    private JedisCluster client;
    private RedisBackend backend;

    @BeforeAll
    static void form() {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void dissolve() {
        cluster.close();
    }

    @BeforeEach
    void connect() {
        cluster.awaitHealthy();
        client = RedisClients.cluster(cluster.hostAndPorts(), Duration.ofMillis(200));
        backend = RedisBackend.builder().jedis(client).keyPrefix("f").build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private RedisServerProcess otherMaster(String key) {
        RedisServerProcess owner = cluster.masterFor(key);
        return cluster.masters().stream().filter(m -> m != owner).findFirst().orElseThrow();
    }

    @Test
    void movedAndAskRedirects_areFollowed_andTheBucketMovesWithItsSlot() {
        BucketKey user = BucketKey.of("mover");
        String key = RedisKeys.of("f").of("p", user);
        assertThat(backend.consume(POLICY, user, 1).remaining()).isEqualTo(9);

        SlotMigration migration = cluster.beginSlotMigration(cluster.slotOf(key), otherMaster(key));
        migration.moveKeys();
        Decision asked = backend.consume(POLICY, user, 1);
        migration.complete();
        Decision moved = backend.consume(POLICY, user, 1);

        assertThat(asked.degraded()).isFalse();
        assertThat(asked.remaining()).isEqualTo(8);
        assertThat(moved.degraded()).isFalse();
        assertThat(moved.remaining()).isEqualTo(7);
    }

    // Decisions bypass the cluster client's executor, so without a renewal of the slot map they kept going to the
    // dead master after a failover and stayed degraded for good.
    @Test
    void masterFailover_isFollowedOnceAReplicaTakesOver() {
        try (RedisClusterProcess replicated = RedisClusterProcess.startWithReplicas();
                JedisCluster jedis = RedisClients.cluster(replicated.hostAndPorts(), Duration.ofMillis(200))) {
            RedisBackend failing =
                    RedisBackend.builder().jedis(jedis).keyPrefix("f").build();
            BucketKey user = BucketKey.of("failover");
            assertThat(failing.consume(POLICY, user, 1).degraded()).isFalse();

            replicated.masterFor(RedisKeys.of("f").of("p", user)).kill();
            replicated.awaitHealthy(Duration.ofSeconds(15));

            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !failing.consume(POLICY, user, 1).degraded());
        }
    }

    @Test
    void readTimeout_neverDebitsTwice() throws InterruptedException {
        BucketKey user = BucketKey.of("stalled");
        String key = RedisKeys.of("f").of("p", user);
        backend.consume(POLICY, user, 1);
        RedisServerProcess owner = cluster.masterFor(key);

        owner.pause();
        Decision timedOut;
        try {
            timedOut = backend.consume(POLICY, user, 1);
        } finally {
            owner.resume();
        }
        Thread.sleep(100);
        Decision after = backend.peek(POLICY, user);

        assertThat(timedOut.degraded()).isTrue();
        // the stalled call may still run once the server resumes, but it must never run twice
        assertThat(after.degraded()).isFalse();
        assertThat(after.remaining()).isBetween(8L, 9L);
    }
}
