package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;

/** The Redis backend on the shared 3-master Cluster: many slots, no CROSSSLOT, script recovery on every master. */
class RedisClusterTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private RedisClusterProcess cluster;
    private JedisCluster client;
    private RedisBackend backend;

    @BeforeEach
    void connect() {
        cluster = SharedRedis.cluster();
        cluster.flushAll();
        client = RedisClients.cluster(cluster.hostAndPorts(), Duration.ofSeconds(2));
        backend = RedisBackend.builder().jedis(client).keyPrefix("c14").build();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void manyUsersOverAllSlots_decideWithoutClusterErrors_C14() {
        Policy p1 = Policy.of("P1", Limit.perPeriod(5, MINUTE));
        Policy p2 = Policy.builder("P2")
                .limit(5, 5, MINUTE)
                .limit(50, 50, Duration.ofHours(1))
                .build();
        Set<RedisServerProcess> masters = new HashSet<>();

        for (int u = 1; u <= 200; u++) {
            assertSixDecisions(p1, BucketKey.of("u" + u));
            assertSixDecisions(p2, BucketKey.of("v" + u));
            masters.add(cluster.masterFor(RedisKeys.of("c14").of("P1", BucketKey.of("u" + u))));
        }

        assertThat(masters).hasSize(3);
        assertThat(backend.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    private void assertSixDecisions(Policy policy, BucketKey key) {
        List<Long> remaining = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Decision d = backend.consume(policy, key, 1);
            assertThat(d.allowed()).as("%s %s", policy.name(), key).isTrue();
            assertThat(d.degraded()).isFalse();
            remaining.add(d.remaining());
        }
        Decision denied = backend.consume(policy, key, 1);
        assertThat(remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.degraded()).isFalse();
        assertThat(denied.remaining()).isZero();
        assertThat(denied.retryAfterMillis()).isBetween(11_000L, 12_000L);
    }

    @Test
    void unifiedJedisOnAClusterProvider_isRefused() {
        // not being a JedisCluster, such a client missed the slot transport and went through Jedis' retrying
        // cluster executor, which resends a script after a read timeout: two debits for one decision
        ClusterConnectionProvider provider =
                new ClusterConnectionProvider(cluster.hostAndPorts(), RedisClients.config(Duration.ofSeconds(2)));
        try (UnifiedJedis plain = new UnifiedJedis(provider, 2, Duration.ofSeconds(4))) {
            assertThatThrownBy(() -> RedisBackend.builder().jedis(plain))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll(
                            "must be a JedisCluster",
                            "redis.clients.jedis.UnifiedJedis on a ClusterConnectionProvider",
                            "RedisClients.cluster(seeds, timeout)");
        }
    }

    @Test
    void peekResetAndDecide_onDrainedBuckets_C14() {
        Policy p1 = Policy.of("P1", Limit.perPeriod(5, MINUTE));
        for (int u = 1; u <= 20; u++) {
            BucketKey key = BucketKey.of("u" + u);
            for (int i = 0; i < 6; i++) {
                backend.consume(p1, key, 1);
            }

            assertThat(backend.peek(p1, key).remaining()).isZero();
            backend.reset(p1, key);
            assertThat(backend.consume(p1, key, 1).remaining()).isEqualTo(4);
        }
    }

    @Test
    void userBraces_neverPinOneSlot_C10() {
        Set<RedisServerProcess> masters = new HashSet<>();
        Policy policy = Policy.of("p", Limit.perPeriod(3, MINUTE));

        for (int n = 1; n <= 100; n++) {
            BucketKey key = BucketKey.of(n + "{hot}", "r1");
            assertThat(backend.consume(policy, key, 1).remaining()).isEqualTo(2);
            masters.add(cluster.masterFor(RedisKeys.of("c14").of("p", key)));
        }

        assertThat(masters).hasSize(3);
    }

    @Test
    void scriptFlushOnEveryMaster_isRecoveredForEveryKey_C13() {
        Policy policy = Policy.of("p", Limit.perPeriod(10, MINUTE));
        backend.consume(policy, BucketKey.of("warm"), 1);

        cluster.scriptFlushAll();
        List<Decision> decisions = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            decisions.add(backend.consume(policy, BucketKey.of("k" + k), 1));
        }

        assertThat(decisions).allMatch(d -> d.allowed() && d.remaining() == 9 && !d.degraded());
    }
}
