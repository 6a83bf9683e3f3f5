package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.PolicyEntry;
import io.r8limiter.PolicyStore;
import io.r8limiter.RateLimiter;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

class RedisPolicyStoreTest {

    private static final Policy R1 = Policy.of("r1", Limit.perPeriod(100, Duration.ofMinutes(1)));
    private static final Policy R2 = Policy.of("r2", Limit.perPeriod(10, Duration.ofMinutes(1)));
    private static final Policy R1_SMALL = Policy.of("r1", Limit.perPeriod(5, Duration.ofMinutes(1)));

    private final String prefix = "t-" + UUID.randomUUID();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void change_onOneInstance_isInForceOnTheOthersWithinASecond() {
        List<RedisPolicyStore> fleet =
                fleet(3, () -> closing(SharedRedis.standalone().pooled()));
        List<RateLimiter> others = List.of(
                closing(RateLimiter.builder().policies(fleet.get(1)).build()),
                closing(RateLimiter.builder().policies(fleet.get(2)).build()));

        long start = System.nanoTime();
        PolicyEntry written = fleet.get(0).putOverride(R1_SMALL);
        awaitEverywhere(fleet, "r1", R1_SMALL, "put on A");
        long inForceEverywhereMillis = (System.nanoTime() - start) / 1_000_000;
        List<List<Decision>> decisions = new ArrayList<>();
        for (RateLimiter limiter : others) {
            List<Decision> eight = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                eight.add(limiter.tryConsume("r1", BucketKey.of("u1")));
            }
            decisions.add(eight);
        }

        assertThat(written.version()).isPositive();
        assertThat(inForceEverywhereMillis)
                .as("ms from the put to the change in force everywhere")
                .isLessThan(1_000);
        for (List<Decision> eight : decisions) {
            assertThat(eight)
                    .filteredOn(Decision::allowed)
                    .extracting(Decision::remaining)
                    .containsExactly(4L, 3L, 2L, 1L, 0L);
            assertThat(eight).filteredOn(Decision::denied).hasSize(3);
            assertThat(eight).extracting(Decision::limit).containsOnly(5L);
        }
    }

    @Test
    void list_showsVersionAndSource_andARemovalRevertsEveryInstanceToConfiguration() {
        List<RedisPolicyStore> fleet =
                fleet(3, () -> closing(SharedRedis.standalone().pooled()));
        PolicyEntry first = fleet.get(0).putOverride(R1_SMALL);
        PolicyEntry second = fleet.get(2).putOverride(R1_SMALL.withShadow(true));
        awaitEverywhere(fleet, "r1", R1_SMALL.withShadow(true), "second put on C");

        List<PolicyEntry> listed = fleet.get(1).list();
        boolean removed = fleet.get(1).removeOverride("r1");
        awaitEverywhere(fleet, "r1", R1, "remove on B");

        assertThat(second.version()).isGreaterThan(first.version());
        assertThat(listed)
                .containsExactly(
                        new PolicyEntry(R1_SMALL.withShadow(true), second.version(), PolicyEntry.Source.OVERRIDE),
                        new PolicyEntry(R2, 0, PolicyEntry.Source.CONFIGURATION));
        assertThat(removed).isTrue();
        assertThat(fleet.get(0).removeOverride("r1")).isFalse();
        assertThat(fleet.get(2).list()).extracting(PolicyEntry::source).containsOnly(PolicyEntry.Source.CONFIGURATION);
    }

    @Test
    void override_outlivesARestartedInstanceWithTheOldConfiguration() {
        RedisPolicyStore a = store(closing(SharedRedis.standalone().pooled()));
        a.putOverride(R1_SMALL);
        a.close();

        RedisPolicyStore restarted = store(closing(SharedRedis.standalone().pooled()));

        assertThat(restarted.find("r1")).contains(R1_SMALL);
        assertThat(restarted.find("r2")).contains(R2);
        assertThat(restarted.find("r3")).isEmpty();
    }

    @Test
    void redisRestart_isFollowedByAResyncAndLaterChangesStillSpread() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            List<RedisPolicyStore> fleet = fleet(2, () -> closing(server.pooled(Duration.ofMillis(500))));
            fleet.get(0).putOverride(R1_SMALL);
            awaitEverywhere(fleet, "r1", R1_SMALL, "put before the restart");

            server.restart();
            awaitEverywhere(fleet, "r1", R1, "resync after the restart emptied Redis");
            Policy after = Policy.of("r1", Limit.perPeriod(7, Duration.ofSeconds(1)));
            await().atMost(Duration.ofSeconds(5))
                    .ignoreExceptions()
                    .until(() -> fleet.get(1).putOverride(after) != null);

            awaitEverywhere(fleet, "r1", after, "put after the restart");
        }
    }

    // A store cut off from Redis misses the notice of an override written meanwhile (here it goes to a channel no
    // one listens on): once Redis is back, the store's own resync must still pick the override up.
    @Test
    void redisRestart_isFollowedByAResync_thatPicksUpAnOverrideWrittenWhileDisconnected() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            RedisPolicyStore store = store(closing(server.pooled(Duration.ofMillis(500))));
            long before = store.version();

            server.restart();
            long written;
            try (UnifiedJedis writer = server.pooled()) {
                List<String> keys = List.of(SharedKeys.policies(prefix), SharedKeys.policyVersion(prefix));
                List<String> args = List.of("r1", PolicyCodec.encodeBody(R1_SMALL), "nobody-listens");
                written = (Long) ((List<?>) StoredScript.load("policy-put.lua").run(writer, keys, args)).get(0);
            }

            await().atMost(Duration.ofSeconds(3))
                    .until(() -> store.find("r1").orElseThrow().equals(R1_SMALL));
            assertThat(before).isZero();
            assertThat(store.version()).isEqualTo(written);
            assertThat(store.list()).first().isEqualTo(new PolicyEntry(R1_SMALL, written, PolicyEntry.Source.OVERRIDE));
        }
    }

    @Test
    void resync_withoutChanges_keepsThePolicyInstancesInForce() {
        RedisPolicyStore store = store(closing(SharedRedis.standalone().pooled()));
        store.putOverride(R1_SMALL);
        Policy before = store.find("r1").orElseThrow();

        store.resync();
        store.resync();

        assertThat(store.find("r1").orElseThrow()).isSameAs(before);
        assertThat(store.version()).isPositive();
    }

    @Test
    void unreadableOverride_isIgnoredAndTheRestApplies() {
        UnifiedJedis redis = closing(SharedRedis.standalone().pooled());
        redis.hset(SharedKeys.policies(prefix), "r2", "1|3|0|ten/10/60000");
        RedisPolicyStore store = store(redis);

        store.putOverride(R1_SMALL);

        assertThat(store.find("r1")).contains(R1_SMALL);
        assertThat(store.find("r2")).contains(R2);
    }

    @Test
    void change_onACluster_isInForceOnTheOtherInstanceWithinASecond() {
        List<RedisPolicyStore> fleet =
                fleet(2, () -> closing(SharedRedis.cluster().jedisCluster()));

        fleet.get(1).putOverride(R1_SMALL);

        awaitEverywhere(fleet, "r1", R1_SMALL, "put on a cluster");
        assertThat(fleet.get(0).list())
                .extracting(PolicyEntry::source)
                .containsExactly(PolicyEntry.Source.OVERRIDE, PolicyEntry.Source.CONFIGURATION);
    }

    // A policy may now be named by a resource of up to 256 UTF-8 bytes: its override spreads like any other, and the
    // buckets it decides still get short Redis keys, since the backend hashes a long bucket id.
    @Test
    void override_withA256ByteName_spreadsAndDecidesUnderShortKeys() {
        UnifiedJedis redis = closing(SharedRedis.standalone().pooled());
        String name = "/api/" + "\u00e9".repeat(125) + "x";
        Policy longName = Policy.of(name, Limit.perPeriod(1, Duration.ofMinutes(1)));
        List<RedisPolicyStore> fleet = fleet(2, () -> redis);
        RateLimiter limiter = closing(RateLimiter.builder()
                .backend(RedisBackend.builder().jedis(redis).keyPrefix(prefix).build())
                .policies(fleet.get(1))
                .build());

        fleet.get(0).putOverride(longName);
        awaitEverywhere(fleet, name, longName, "put of a 256-byte name");
        boolean first = limiter.tryConsume(name, BucketKey.of("u1")).allowed();
        boolean second = limiter.tryConsume(name, BucketKey.of("u1")).allowed();

        assertThat(BucketKey.utf8Length(name)).isEqualTo(256);
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(RedisStatsTest.scan(redis, prefix + ":" + RedisKeys.SCHEMA + ":{????????}:*"))
                .filteredOn(key -> !key.contains("{policies}"))
                .hasSize(1)
                .allMatch(key -> key.length() < 100, "shorter than 100 characters");
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        RedisPolicyStore.Builder builder =
                RedisPolicyStore.builder(closing(SharedRedis.standalone().pooled()));

        assertThatThrownBy(() -> builder.policies(R1, R1_SMALL)).hasMessage("policy 'r1' is defined twice");
        assertThatThrownBy(() -> builder.resyncInterval(Duration.ofSeconds(5)))
                .hasMessage("resyncInterval must be between 10ms and 1s but was PT5S");
        assertThatThrownBy(() -> builder.keyPrefix(" ")).hasMessage("keyPrefix must not be blank but was ' '");
    }

    private List<RedisPolicyStore> fleet(int size, Supplier<UnifiedJedis> clients) {
        List<RedisPolicyStore> fleet = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            fleet.add(store(clients.get()));
        }
        return fleet;
    }

    private RedisPolicyStore store(UnifiedJedis redis) {
        return closing(RedisPolicyStore.builder(redis)
                .keyPrefix(prefix)
                .policies(R1, R2)
                .build());
    }

    /** Waits up to a second until every store has {@code expected} in force, and prints how long it took. */
    private static void awaitEverywhere(List<? extends PolicyStore> fleet, String name, Policy expected, String what) {
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> fleet.stream()
                .allMatch(s -> s.find(name).orElseThrow().equals(expected)));
        System.out.printf("policy propagation (%s): %d ms%n", what, (System.nanoTime() - start) / 1_000_000);
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
