package io.r8limiter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentineled;

class RedisSentinelGroupTest {

    @Test
    void start_sentinelReportsThePrimaryAndTheReplicaFollowsIt() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start();
                JedisSentineled client = group.jedisSentineled()) {
            RedisServerProcess primary = group.servers().get(0);

            client.set("k", "v");

            assertThat(group.primaryAddress()).isEqualTo(primary.hostAndPort());
            assertThat(group.primary()).isSameAs(primary);
            assertThat(group.replica()).isSameAs(group.servers().get(1));
            assertThat(group.sentinelHostAndPorts()).hasSize(1);
            assertThat(group.masterName()).isEqualTo("mymaster");
            try (Jedis primaryJedis = primary.jedis()) {
                assertThat(primaryJedis.get("k")).isEqualTo("v");
                primaryJedis.waitReplicas(1, 2_000);
            }
            try (Jedis replica = group.replica().jedis()) {
                assertThat(replica.get("k")).isEqualTo("v");
            }
        }
    }

    @Test
    void failover_promotesTheReplicaAndTheClientFollows() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start();
                JedisSentineled client = group.jedisSentineled()) {
            RedisServerProcess oldPrimary = group.primary();
            RedisServerProcess oldReplica = group.replica();

            RedisServerProcess newPrimary = group.failover();

            assertThat(newPrimary).isSameAs(oldReplica);
            assertThat(oldPrimary.isRunning()).isFalse();
            assertThat(group.primary()).isSameAs(oldReplica);
            // the client hears of the switch from the sentinels' +switch-master message a moment later
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> assertThat(
                            client.set("after", "failover"))
                    .isEqualTo("OK"));
            try (Jedis jedis = newPrimary.jedis()) {
                assertThat(jedis.get("after")).isEqualTo("failover");
            }
        }
    }

    @Test
    void start_withThreeSentinels_everySentinelAgreesOnThePrimary() {
        try (RedisSentinelGroup group = RedisSentinelGroup.start(3)) {
            for (RedisServerProcess sentinel : group.sentinels()) {
                try (Jedis jedis = sentinel.jedis()) {
                    assertThat(jedis.sentinelGetMasterAddrByName("mymaster"))
                            .containsExactly(
                                    "127.0.0.1",
                                    Integer.toString(group.servers().get(0).port()));
                    assertThat(jedis.sentinelSentinels("mymaster")).hasSize(2);
                }
            }
        }
    }

    @Test
    void start_rejectsAnEvenSentinelCount() {
        assertThatThrownBy(() -> RedisSentinelGroup.start(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sentinelCount must be 1 or 3 but was 2");
    }
}
