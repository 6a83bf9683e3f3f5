package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.RedisSentinelGroup;
import io.r8limiter.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

/**
 * Sentinel failover and Cluster slot migration under load, through decision services that find Redis the way an
 * operator configures them: {@code spring.data.redis.sentinel.master} and {@code .nodes} for one, {@code
 * spring.data.redis.cluster.nodes} for the other. Both use the CLOSED failure mode, so a degraded answer is a denial.
 */
class TopologySystemTest {

    static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Traffic before and after each switch, so that it runs under load and not at its edges. */
    static final Duration STEADY = Duration.ofMillis(500);

    private static RedisSentinelGroup sentinel;
    private static RedisClusterProcess cluster;
    private static AppProcess sentinelApp;
    private static AppProcess clusterApp;
    private static final Http http = Http.client();

    @BeforeAll
    static void start() {
        sentinel = RedisSentinelGroup.start();
        cluster = RedisClusterProcess.start();
        sentinelApp = launch(
                "sentinel",
                "--spring.data.redis.sentinel.master=" + sentinel.masterName(),
                "--spring.data.redis.sentinel.nodes=" + nodes(sentinel.sentinelHostAndPorts()));
        clusterApp = launch("cluster", "--spring.data.redis.cluster.nodes=" + nodes(cluster.hostAndPorts()));
        sentinelApp.awaitReady();
        clusterApp.awaitReady();
    }

    @AfterAll
    static void stop() {
        for (AppProcess app : new AppProcess[] {sentinelApp, clusterApp}) {
            if (app != null) {
                app.stop();
            }
        }
        if (sentinel != null) {
            sentinel.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sentinelFailover_decisionsContinue_withAtMostTheFailureModesAnswerDuringTheSwitch() {
        Load load = Load.start(List.of(sentinelApp), 4, n -> Query.allow("sentinel-" + (n % 40), "topology"));
        awaitNormalAfter(load, System.nanoTime());
        AppProcess.sleep(STEADY);

        long switchAt = System.nanoTime();
        sentinel.failover();
        long switchedAt = System.nanoTime();
        long recovered = awaitNormalAfter(load, switchedAt);
        load.close();

        assertContinuity(load, switchAt);
        System.out.printf(
                "sentinel failover: %d ms switch, normal decisions %d ms after, %d degraded of %d%n",
                (switchedAt - switchAt) / 1_000_000,
                recovered,
                degraded(load),
                load.samples().size());
    }

    @Test
    void clusterSlotMigration_decisionsContinue_andTheMovedBucketKeepsItsState() {
        String moved = Query.allow("migrating-user", "exact");
        for (int i = 0; i < 20; i++) {
            assertThat(http.post(clusterApp.uri(moved)).json().path("allowed").asBoolean())
                    .isTrue();
        }
        List<String> stored = bucketKeys();
        assertThat(stored).hasSize(1);
        int slot = cluster.slotOf(stored.get(0));
        RedisServerProcess source = cluster.masterForSlot(slot);
        RedisServerProcess target =
                cluster.masters().stream().filter(m -> m != source).findFirst().orElseThrow();
        Load load = Load.start(List.of(clusterApp), 4, n -> Query.allow("cluster-" + (n % 200), "topology"));
        awaitNormalAfter(load, System.nanoTime());
        AppProcess.sleep(STEADY);

        long switchAt = System.nanoTime();
        cluster.migrateSlot(slot, target);
        long after = System.nanoTime();
        awaitNormalAfter(load, after);
        AppProcess.sleep(STEADY);
        var next = http.post(clusterApp.uri(moved)).json();
        load.close();

        assertThat(cluster.masterForSlot(slot)).isSameAs(target);
        assertThat(next.path("degraded").asBoolean()).as(next.toString()).isFalse();
        assertThat(next.path("remaining").asLong()).isEqualTo(29);
        assertContinuity(load, switchAt);
        assertThat(cluster.keysWithoutTtl()).allMatch(k -> k.startsWith("r8:1:{policies}"));
        System.out.printf(
                "cluster slot %d migrated in %d ms: %d degraded of %d decisions%n",
                slot,
                (after - switchAt) / 1_000_000,
                degraded(load),
                load.samples().size());
    }

    private static AppProcess launch(String name, String... topology) {
        List<String> flags = new ArrayList<>(List.of(
                "--r8limiter.backend=redis",
                "--r8limiter.redis.timeout=" + TIMEOUT.toMillis() + "ms",
                "--r8limiter.failure-mode=closed",
                "--r8limiter.policies.topology.limits[0].capacity=1000000",
                "--r8limiter.policies.topology.limits[0].refill-tokens=1000000",
                "--r8limiter.policies.topology.limits[0].refill-period=1s",
                "--r8limiter.policies.exact.limits[0].capacity=50",
                "--r8limiter.policies.exact.limits[0].refill-tokens=1",
                "--r8limiter.policies.exact.limits[0].refill-period=30d"));
        flags.addAll(List.of(topology));
        return AppProcess.launch("topology-" + name, flags);
    }

    /** Every answer is a 200; degraded ones are denials; none before the switch; each within one second. */
    private static void assertContinuity(Load load, long switchAt) {
        assertThat(load.samples())
                .allSatisfy(s -> assertThat(s.status()).as(s.body()).isEqualTo(200));
        assertThat(load.samples()).filteredOn(Load.Sample::degraded).allSatisfy(s -> assertThat(s.allowed())
                .isFalse());
        assertThat(load.samples())
                .filteredOn(s -> s.completedNanos() < switchAt)
                .noneMatch(Load.Sample::degraded);
        assertThat(load.samples()).allSatisfy(s -> assertThat(s.latencyMillis()).isLessThanOrEqualTo(1_000));
    }

    /** Waits for a normal decision completed after {@code since}; returns how long after it came, in ms. */
    private static long awaitNormalAfter(Load load, long since) {
        await().atMost(30, TimeUnit.SECONDS)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> firstNormal(load, since) > 0);
        return (firstNormal(load, since) - since) / 1_000_000;
    }

    private static long firstNormal(Load load, long since) {
        return load.between(since, Long.MAX_VALUE).stream()
                .filter(s -> s.status() == 200 && !s.degraded())
                .mapToLong(Load.Sample::completedNanos)
                .min()
                .orElse(-1);
    }

    private static long degraded(Load load) {
        return load.samples().stream().filter(Load.Sample::degraded).count();
    }

    /** The bucket keys stored on any master, without the statistics and the policy store. */
    private static List<String> bucketKeys() {
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

    private static String nodes(Collection<HostAndPort> nodes) {
        return nodes.stream().map(HostAndPort::toString).collect(Collectors.joining(","));
    }
}
