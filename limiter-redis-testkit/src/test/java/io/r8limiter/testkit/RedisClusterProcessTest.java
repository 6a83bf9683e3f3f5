package io.r8limiter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

class RedisClusterProcessTest {

    private static RedisClusterProcess cluster;

    @BeforeAll
    static void formCluster() {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void start_formsAHealthyClusterOfThreeMasters() {
        assertThat(cluster.nodes()).hasSize(3);
        assertThat(cluster.masters()).hasSize(3);
        assertThat(cluster.hostAndPorts()).hasSize(3);
        assertThat(cluster.isHealthy()).isTrue();
        try (Jedis jedis = cluster.nodes().get(1).jedis()) {
            assertThat(jedis.clusterInfo()).contains("cluster_state:ok", "cluster_slots_assigned:16384");
        }
    }

    @Test
    void jedisCluster_writesKeysAcrossEverySlotOwner() {
        Set<RedisServerProcess> owners = new HashSet<>();
        try (JedisCluster client = cluster.jedisCluster()) {
            for (int i = 0; i < 200; i++) {
                client.set("spread:" + i, Integer.toString(i));
                owners.add(cluster.masterFor("spread:" + i));
            }

            assertThat(client.get("spread:199")).isEqualTo("199");
        }
        assertThat(owners).containsExactlyInAnyOrderElementsOf(cluster.masters());
    }

    @Test
    void masterFor_namesTheNodeHoldingTheKey() {
        try (JedisCluster client = cluster.jedisCluster()) {
            client.set("{owner}:probe", "here");
        }

        RedisServerProcess owner = cluster.masterFor("{owner}:probe");

        try (Jedis jedis = owner.jedis()) {
            assertThat(jedis.get("{owner}:probe")).isEqualTo("here");
        }
        assertThat(cluster.slotOf("{owner}:probe")).isEqualTo(cluster.slotOf("owner"));
    }

    @Test
    void migrateSlot_movesTheKeysAndTheClientFollows() {
        String key = "{migrating}:key";
        int slot = cluster.slotOf(key);
        RedisServerProcess source = cluster.masterFor(key);
        RedisServerProcess target = cluster.masters().stream()
                .filter(node -> node != source)
                .findFirst()
                .orElseThrow();
        try (JedisCluster client = cluster.jedisCluster()) {
            client.set(key, "before");

            cluster.migrateSlot(slot, target);

            assertThat(cluster.masterForSlot(slot)).isSameAs(target);
            assertThat(client.get(key)).isEqualTo("before");
            client.set(key, "after");
            try (Jedis jedis = target.jedis()) {
                assertThat(jedis.get(key)).isEqualTo("after");
            }
        }
        cluster.migrateSlot(slot, source);
        assertThat(cluster.masterForSlot(slot)).isSameAs(source);
    }

    @Test
    void beginSlotMigration_leavesTheSlotServedMidway() {
        String moved = "{midway}:a";
        int slot = cluster.slotOf(moved);
        RedisServerProcess source = cluster.masterForSlot(slot);
        RedisServerProcess target = cluster.masters().stream()
                .filter(node -> node != source)
                .findFirst()
                .orElseThrow();
        try (JedisCluster client = cluster.jedisCluster()) {
            client.set(moved, "1");
            SlotMigration migration = cluster.beginSlotMigration(slot, target);

            assertThat(migration.moveKeys()).isEqualTo(1);
            client.set("{midway}:b", "2");

            assertThat(client.get(moved)).isEqualTo("1");
            assertThat(client.get("{midway}:b")).isEqualTo("2");
            migration.complete();
            assertThat(cluster.masterForSlot(slot)).isSameAs(target);
            assertThat(client.get("{midway}:b")).isEqualTo("2");
        }
        cluster.migrateSlot(slot, source);
    }

    @Test
    void beginSlotMigration_rejectsTheCurrentOwnerAsTarget() {
        int slot = cluster.slotOf("x");

        assertThatThrownBy(() -> cluster.beginSlotMigration(slot, cluster.masterForSlot(slot)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("target already owns slot " + slot);
    }

    @Test
    void flushAllAndScriptFlushAll_clearEveryMaster() {
        try (JedisCluster client = cluster.jedisCluster()) {
            client.set("a", "1");
            client.set("b", "2");
            client.set("c", "3");
            String sha = client.scriptLoad("return 1", "a");

            cluster.flushAll();
            cluster.scriptFlushAll();

            assertThat(client.exists("a")).isFalse();
            assertThat(client.exists("c")).isFalse();
            assertThat(client.scriptExists(sha, "a")).isFalse();
        }
    }

    @Test
    void keysWithoutTtl_looksAtEveryMaster() {
        cluster.flushAll();
        try (JedisCluster client = cluster.jedisCluster()) {
            for (int i = 0; i < 30; i++) {
                client.set("forever:" + i, "1");
                client.psetex("fleeting:" + i, 60_000, "2");
            }
        }

        assertThat(cluster.keysWithoutTtl()).hasSize(30).allMatch(key -> key.startsWith("forever:"));
        assertThat(cluster.dbSize()).isEqualTo(60);
    }

    @Test
    void masterForSlot_rejectsSlotsOutOfRange() {
        assertThatThrownBy(() -> cluster.masterForSlot(16_384))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot must be between 0 and 16383 but was 16384");
    }

    @Test
    void sharedCluster_isFormedOnceAndReused() {
        RedisClusterProcess first = SharedRedis.cluster();

        RedisClusterProcess second = SharedRedis.cluster();

        assertThat(second).isSameAs(first);
        assertThat(second.isHealthy()).isTrue();
    }
}
