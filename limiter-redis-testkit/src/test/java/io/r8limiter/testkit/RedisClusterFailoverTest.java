package io.r8limiter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

class RedisClusterFailoverTest {

    @Test
    void startWithReplicas_replicaTakesOverAKilledMaster() {
        try (RedisClusterProcess cluster = RedisClusterProcess.startWithReplicas();
                JedisCluster client = cluster.jedisCluster()) {
            assertThat(cluster.nodes()).hasSize(6);
            assertThat(cluster.masters()).containsExactlyElementsOf(cluster.initialMasters());
            client.set("{failover}:k", "v");
            RedisServerProcess master = cluster.masterFor("{failover}:k");
            RedisServerProcess replica =
                    cluster.initialReplicas().get(cluster.initialMasters().indexOf(master));
            try (Jedis jedis = master.jedis()) {
                jedis.waitReplicas(1, 2_000);
            }

            master.kill();
            cluster.awaitHealthy();

            assertThat(cluster.masterFor("{failover}:k")).isSameAs(replica);
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(client.get("{failover}:k")).isEqualTo("v"));
        }
    }

    @Test
    void awaitHealthy_failsWhileAKilledMasterStillOwnsSlots() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start()) {
            RedisServerProcess master = cluster.initialMasters().get(2);

            master.kill();

            // without replicas nobody takes the slots over, so the cluster must never look healthy again
            assertThat(cluster.isHealthy()).isFalse();
            assertThatThrownBy(() -> cluster.awaitHealthy(Duration.ofMillis(300)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("to be healthy");
        }
    }

    @Test
    void restartedNode_rejoinsWithItsSlotsButNoData() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start();
                JedisCluster client = cluster.jedisCluster()) {
            client.set("{restart}:k", "v");
            RedisServerProcess owner = cluster.masterFor("{restart}:k");

            owner.restart();
            cluster.awaitHealthy();

            assertThat(cluster.masterFor("{restart}:k")).isSameAs(owner);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
                            client.exists("{restart}:k"))
                    .isFalse());
        }
    }
}
