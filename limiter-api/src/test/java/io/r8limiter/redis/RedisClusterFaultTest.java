package io.r8limiter.redis;

import static java.util.Objects.requireNonNull;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.JedisCluster;

/** A Cluster of its own, reshaped and stalled: redirects are followed, a timed-out script is never resent. */
class RedisClusterFaultTest {

    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final Policy POLICY = Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)));

    /** Too large to empty in a test and refilling one token an hour: each token it lacks is one debit. */
    private static final long LOAD_CAPACITY = 100_000;

    private static final Policy LOAD = Policy.of("load", Limit.of(LOAD_CAPACITY, 1, Duration.ofHours(1)));

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
        client = RedisClients.cluster(cluster.hostAndPorts(), TIMEOUT);
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
                JedisCluster jedis = RedisClients.cluster(replicated.hostAndPorts(), TIMEOUT)) {
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

    // Eight callers on six keys while the master of three stalls three times, so decisions time out by the dozen: had
    // one been resent after its timeout, as Jedis Cluster's retry does, its key would lack more tokens than answers.
    @Test
    void readTimeoutsUnderLoad_neverDebitTwice() throws Exception {
        RedisServerProcess owner = cluster.masterFor(redisKey(BucketKey.of("load-0")));
        Map<BucketKey, Tally> tallies = tallies(owner);

        runLoad(tallies, () -> stallRepeatedly(owner));

        for (Map.Entry<BucketKey, Tally> entry : tallies.entrySet()) {
            BucketKey user = entry.getKey();
            Tally tally = entry.getValue();
            long taken = LOAD_CAPACITY - settledPeek(user).remaining();
            assertThat(tally.denied.sum()).as("denied %s", user).isZero();
            assertThat(taken)
                    .as("tokens taken from %s by %s", user, tally)
                    .isBetween(tally.spent.sum(), tally.spent.sum() + tally.maySpend.sum());
            if (cluster.masterFor(redisKey(user)) == owner) {
                assertThat(tally.maySpend.sum()).as("timed out on %s", user).isPositive();
            }
        }
    }

    /** The bucket as Redis has it, once the circuit lets decisions through again. */
    private Decision settledPeek(BucketKey user) {
        return await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> backend.peek(LOAD, user), decision -> !decision.degraded());
    }

    private static String redisKey(BucketKey user) {
        return RedisKeys.of("f").of(LOAD.name(), user);
    }

    /** Six keys in a stable order, the first three owned by {@code owner}, the others by the other masters. */
    private static Map<BucketKey, Tally> tallies(RedisServerProcess owner) {
        List<BucketKey> owned = new ArrayList<>();
        List<BucketKey> others = new ArrayList<>();
        for (int i = 0; owned.size() < 3 || others.size() < 3; i++) {
            BucketKey user = BucketKey.of("load-" + i);
            List<BucketKey> side = cluster.masterFor(redisKey(user)) == owner ? owned : others;
            if (side.size() < 3) {
                side.add(user);
            }
        }
        Map<BucketKey, Tally> tallies = new LinkedHashMap<>();
        owned.forEach(user -> tallies.put(user, new Tally()));
        others.forEach(user -> tallies.put(user, new Tally()));
        return tallies;
    }

    /** Runs eight callers over every key, each starting on a different one, for as long as {@code faults} runs. */
    private void runLoad(Map<BucketKey, Tally> tallies, Callable<Void> faults) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<Void>> running = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                running.add(callers.submit(caller(tallies, t, start, stop)));
            }
            start.countDown();
            faults.call();
        } finally {
            stop.set(true);
            callers.shutdown();
        }
        for (Future<Void> caller : running) {
            caller.get(10, TimeUnit.SECONDS);
        }
    }

    private Callable<Void> caller(Map<BucketKey, Tally> tallies, int first, CountDownLatch start, AtomicBoolean stop) {
        List<BucketKey> keys = List.copyOf(tallies.keySet());
        return () -> {
            start.await();
            for (int i = first; !stop.get(); i++) {
                BucketKey key = keys.get(i % keys.size());
                long began = System.nanoTime();
                Decision decision = backend.consume(LOAD, key, 1);
                tallies.get(key).record(decision, System.nanoTime() - began);
                if (decision.degraded()) {
                    // the open circuit answers at once: a caller spinning on it would starve the servers
                    Thread.sleep(1);
                }
            }
            return null;
        };
    }

    /**
     * Three stalls of {@code master}, each over three read timeouts long, with calls answered normally between. Before
     * each, the pool gets spare connections to it, as a busy application's pool has: a resent call would go out on
     * one of them, where without a spare it would stall in a new connection's handshake and never reach the server.
     */
    private Void stallRepeatedly(RedisServerProcess master) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            Thread.sleep(300);
            addIdleConnections(master, 40);
            master.pause();
            try {
                Thread.sleep(TIMEOUT.multipliedBy(7).toMillis() / 2);
            } finally {
                master.resume();
            }
        }
        Thread.sleep(500);
        return null;
    }

    private void addIdleConnections(RedisServerProcess master, int count) {
        ConnectionPool pool =
                requireNonNull(client.getClusterNodes().get(master.hostAndPort().toString()), "pool");
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(pool.getResource());
            }
        } finally {
            held.forEach(Connection::close);
        }
    }

    /** One key's answers: allowed by Redis, denied by Redis, and degraded after a wait that may have debited once. */
    private static final class Tally {
        final LongAdder spent = new LongAdder();
        final LongAdder denied = new LongAdder();
        final LongAdder maySpend = new LongAdder();
        final LongAdder degraded = new LongAdder();

        void record(Decision decision, long tookNanos) {
            if (!decision.degraded()) {
                (decision.allowed() ? spent : denied).increment();
                return;
            }
            degraded.increment();
            // the open circuit answers at once and sends nothing; a degraded answer this slow waited on a sent call
            if (tookNanos >= TIMEOUT.toNanos() / 2) {
                maySpend.increment();
            }
        }

        @Override
        public String toString() {
            return spent + " allowed, " + degraded + " degraded of which " + maySpend + " timed out";
        }
    }
}
