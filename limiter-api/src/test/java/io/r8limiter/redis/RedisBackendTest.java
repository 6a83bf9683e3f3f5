package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Slowlog;

/** The Redis backend on one standalone server: stored state, expiry, script recovery and exactness. */
class RedisBackendTest {

    private final List<JedisPooled> clients = new ArrayList<>();
    private JedisPooled redis;

    @BeforeEach
    void clean() {
        SharedRedis.flushAll();
        redis = client();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(JedisPooled::close);
    }

    private JedisPooled client() {
        JedisPooled client = RedisClients.standalone(SharedRedis.standalone().hostAndPort(), Duration.ofSeconds(2));
        clients.add(client);
        return client;
    }

    private RedisBackend backend(String prefix) {
        return RedisBackend.builder().jedis(client()).keyPrefix(prefix).build();
    }

    @Test
    void builder_defaultsToOpenAndPrefixR8() {
        RedisBackend backend = RedisBackend.builder().jedis(redis).build();

        backend.consume(Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1))), BucketKey.of("u1"), 1);

        assertThat(backend.failureMode()).isEqualTo(FailureMode.OPEN);
        assertThat(backend.name()).isEqualTo("redis");
        assertThat(backend.circuitState()).isEqualTo(CircuitState.CLOSED);
        assertThat(redis.keys("r8:3:{*}:p:u1")).hasSize(1);
    }

    @Test
    void bucket_isOneHashWithDeficitsTheLimitsTheyBelongToAndTime() {
        RedisBackend backend = backend("layout");
        Policy policy = Policy.builder("p")
                .limit(5, 5, Duration.ofMinutes(1))
                .limit(100, 100, Duration.ofHours(1))
                .build();

        backend.consume(policy, BucketKey.of("u1"), 2);
        Set<String> keys = redis.keys("layout:*");

        assertThat(keys).hasSize(1);
        Map<String, String> hash = redis.hgetAll(keys.iterator().next());
        assertThat(hash).containsOnlyKeys("t", "d1", "k1", "d2", "k2");
        assertThat(hash).containsEntry("d1", Long.toString(2 * policy.math().unitsPerToken(0)));
        // capacity, refill tokens and period in base 36: 5:5:60000 and 100:100:3600000
        assertThat(hash).containsEntry("k1", "5:5:1aao").containsEntry("k2", "2s:2s:255s0");
    }

    @Test
    void aPolicyThatLostALimit_rewritesTheBucket_leavingNoFieldOfTheDroppedLimit() {
        // the script writes an unchanged bucket's deficits only; a changed one must be written afresh, or the
        // dropped limit's deficit and signature would stay, to be matched again by a later policy
        RedisBackend backend = backend("dropped");
        Policy two = Policy.builder("p")
                .limit(5, 5, Duration.ofMinutes(1))
                .limit(100, 100, Duration.ofHours(1))
                .build();
        Policy hourOnly = Policy.of("p", Limit.of(100, 100, Duration.ofHours(1)));
        backend.consume(two, BucketKey.of("u1"), 2);

        Decision after = backend.consume(hourOnly, BucketKey.of("u1"), 1);
        Map<String, String> hash =
                redis.hgetAll(redis.keys("dropped:*").iterator().next());

        assertThat(after.remaining()).isEqualTo(97);
        assertThat(hash).containsOnlyKeys("t", "d1", "k1");
        assertThat(hash.get("k1")).isEqualTo("2s:2s:255s0");
    }

    @Test
    void costAboveCapacity_createsNoKey_andLeavesAKeyUnchanged_C05() {
        RedisBackend backend = backend("c05");
        Policy three = Policy.of("three", Limit.of(3, 3, Duration.ofMillis(2000)));
        Policy five = Policy.of("five", Limit.of(5, 5, Duration.ofMillis(1000)));

        assertThatThrownBy(() -> backend.consume(three, BucketKey.of("u1"), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("cost 4", "capacity 3");
        assertThat(redis.keys("c05:*")).isEmpty();
        backend.consume(five, BucketKey.of("u1"), 1);
        String key = redis.keys("c05:*").iterator().next();
        Map<String, String> before = redis.hgetAll(key);
        assertThatThrownBy(() -> backend.consume(five, BucketKey.of("u1"), 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("cost 5000", "capacity 5");

        assertThat(redis.hgetAll(key)).isEqualTo(before);
    }

    @Test
    void script_refusesNonPositiveCost_andLeavesTheBucketUnchanged_C06() {
        RedisBackend backend = backend("c06");
        Policy policy = Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1)));
        for (int i = 0; i < 5; i++) {
            backend.consume(policy, BucketKey.of("u1"), 1);
        }
        String key = redis.keys("c06:*").iterator().next();
        byte[] before = redis.dump(key);
        BucketScript script = BucketScript.load();

        for (String cost : List.of("-3", "0", "1.5", "abc")) {
            List<String> args = new ArrayList<>(BucketScript.args(policy, 1, true));
            args.set(1, cost);
            assertThatThrownBy(() -> redis.evalsha(script.sha(), List.of(key), args))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("cost must be positive but was " + cost);
        }

        assertThat(redis.dump(key)).isEqualTo(before);
        assertThatThrownBy(() -> backend.consume(policy, BucketKey.of("u1"), -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cost must be positive but was -3");
    }

    @Test
    void script_refusesABadFigureInAnyLimit_andLeavesTheBucketUnchanged() {
        RedisBackend backend = backend("figures");
        Policy policy =
                Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1)), Limit.perPeriod(50, Duration.ofHours(1)));
        backend.consume(policy, BucketKey.of("u1"), 2);
        String key = redis.keys("figures:*").iterator().next();
        byte[] before = redis.dump(key);
        BucketScript script = BucketScript.load();
        // ARGV positions (0-based): limit 1's capacity, T, P, period at 3..6; limit 2's at 8..11
        for (int position : List.of(3, 4, 5, 6, 8, 9, 10, 11)) {
            for (String bad : List.of("0", "-1", "2.5", "x")) {
                List<String> args = new ArrayList<>(BucketScript.args(policy, 1, true));
                args.set(position, bad);
                int limit = position < 8 ? 1 : 2;
                assertThatThrownBy(() -> redis.evalsha(script.sha(), List.of(key), args))
                        .as("limit %d, argument %d = %s", limit, position, bad)
                        .isInstanceOf(JedisDataException.class)
                        .hasMessageContaining("malformed limit " + limit);
            }
        }
        List<String> tooCostly = new ArrayList<>(BucketScript.args(policy, 6, true));
        assertThatThrownBy(() -> redis.evalsha(script.sha(), List.of(key), tooCostly))
                .isInstanceOf(JedisDataException.class)
                .hasMessageContaining("cost 6 exceeds the capacity 5");
        List<String> secondTooSmall = new ArrayList<>(BucketScript.args(policy, 4, true));
        secondTooSmall.set(8, "3");
        assertThatThrownBy(() -> redis.evalsha(script.sha(), List.of(key), secondTooSmall))
                .isInstanceOf(JedisDataException.class)
                .hasMessageContaining("cost 4 exceeds the capacity 3");

        assertThat(redis.dump(key)).isEqualTo(before);
    }

    @Test
    void everyKey_expiresAtItsTimeToFull_C12() throws Exception {
        Policy policy = Policy.of("p", Limit.of(10, 10, Duration.ofMillis(2000)));
        RedisBackend a = backend("t12");
        RedisBackend b = backend("t12");

        // 1: one token taken, full again in 200 ms
        a.consume(policy, BucketKey.of("u1"), 1);
        String u1 = redis.keys("t12:*").iterator().next();
        assertThat(redis.pttl(u1)).isBetween(1L, 200L);

        // 2: racing first writes over 100 fresh keys; each admits 10, plus one per 200 ms the run lasts
        long start = System.nanoTime();
        Map<Integer, AtomicInteger> admitted = raceFirstWrites(policy, a, b);
        long refilled = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 200 + 1;
        assertThat(admitted.values()).allMatch(n -> n.get() >= 10 && n.get() <= 10 + refilled);
        // u1 from step 1 has only 200 ms to live and may expire during a slow race: check the race's own keys
        for (String key : scan("t12:*")) {
            if (!key.equals(u1)) {
                assertThat(redis.pttl(key)).as(key).isBetween(1L, 2000L);
            }
        }

        // 3: denials keep the expiry
        BucketKey u2 = BucketKey.of("u2");
        for (int i = 0; i < 15; i++) {
            a.consume(policy, u2, 1);
        }
        String u2Key = RedisKeys.of("t12").of("p", u2);
        assertThat(redis.pttl(u2Key)).isBetween(1L, 2000L);

        // 4: a reset leaves nothing behind
        a.reset(policy, u2);
        assertThat(redis.exists(u2Key)).isFalse();

        // 5: idle buckets vanish
        Set<String> seen = new HashSet<>(scan("t12:*"));
        Thread.sleep(3000);
        assertThat(scan("t12:*")).isEmpty();
        assertThat(seen).noneMatch(redis::exists);

        // 6: a fresh full bucket
        assertThat(a.consume(policy, BucketKey.of("u1"), 1).remaining()).isEqualTo(9);
    }

    private Map<Integer, AtomicInteger> raceFirstWrites(Policy policy, RedisBackend a, RedisBackend b)
            throws Exception {
        Map<Integer, AtomicInteger> admitted = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                RedisBackend backend = t % 2 == 0 ? a : b;
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = thread; i < 2000; i += 16) {
                        int user = i % 100;
                        Decision d = backend.consume(policy, BucketKey.of("k" + user), 1);
                        assertThat(d.degraded()).isFalse();
                        if (d.allowed()) {
                            admitted.computeIfAbsent(user, u -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(admitted).hasSize(100);
        return admitted;
    }

    private List<String> scan(String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page =
                    redis.scan(cursor, new ScanParams().match(pattern).count(500));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    @Test
    void scriptFlush_isRecoveredInsideTheDecision_C13() throws Exception {
        Policy policy = Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)));
        RedisBackend a = backend("c13");
        RedisBackend b = backend("c13");
        BucketKey u1 = BucketKey.of("u1");

        Decision first = a.consume(policy, u1, 1);
        SharedRedis.standalone().scriptFlush();
        Decision second = a.consume(policy, u1, 1);
        SharedRedis.standalone().scriptFlush();
        long evalsBefore = evalCalls();
        List<Decision> burst = burst(policy, u1, a, b);

        assertThat(first.remaining()).isEqualTo(9);
        assertThat(second.remaining()).isEqualTo(8);
        assertThat(second.degraded()).isFalse();
        assertThat(burst).hasSize(32).noneMatch(Decision::degraded);
        assertThat(burst.stream().filter(Decision::allowed))
                .extracting(Decision::remaining)
                .containsExactlyInAnyOrder(7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        assertThat(burst.stream().filter(Decision::denied)).hasSize(24).allMatch(d -> d.remaining() == 0);
        assertThat(evalCalls() - evalsBefore).as(redis.info("commandstats")).isBetween(1L, 32L);
        assertThat(a.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void scriptFlushesDuringTraffic_failNoDecision_C13() throws Exception {
        Policy policy = Policy.of("p", Limit.perPeriod(1_000_000, Duration.ofMinutes(1)));
        List<RedisBackend> instances = List.of(backend("flush"), backend("flush"));
        AtomicInteger decided = new AtomicInteger();
        AtomicInteger degraded = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch running = new CountDownLatch(8);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            RedisBackend backend = instances.get(t % 2);
            int thread = t;
            done.add(pool.submit(() -> {
                running.countDown();
                for (int i = 0; !stop.get(); i++) {
                    Decision d = backend.consume(policy, BucketKey.of("t" + thread, "k" + i % 50), 1);
                    decided.incrementAndGet();
                    degraded.addAndGet(d.degraded() ? 1 : 0);
                }
                return null;
            }));
        }

        running.await();
        for (int flush = 0; flush < 20; flush++) {
            Thread.sleep(10);
            SharedRedis.standalone().scriptFlush();
        }
        stop.set(true);
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        assertThat(decided.get()).isGreaterThan(100);
        assertThat(degraded.get()).isZero();
        assertThat(instances).allMatch(b -> b.circuitState() == CircuitState.CLOSED);
    }

    private long evalCalls() {
        String stats = redis.info("commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_eval:")) {
                return Long.parseLong(line.replaceAll("^cmdstat_eval:calls=(\\d+),.*", "$1"));
            }
        }
        return 0;
    }

    private static List<Decision> burst(Policy policy, BucketKey key, RedisBackend a, RedisBackend b) throws Exception {
        List<Decision> decisions = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                RedisBackend backend = t % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    start.await();
                    decisions.add(backend.consume(policy, key, 1));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return decisions;
    }

    @Test
    void sixteenThreadsOverFourClients_admitExactlyCapacity() throws Exception {
        Policy policy = Policy.of("p", Limit.of(100, 1, Duration.ofHours(1)));
        List<RedisBackend> instances = List.of(backend("x"), backend("x"), backend("x"), backend("x"));
        int admitted = allowedFromSixteenThreads(instances, policy, () -> {
            int[] decided = {0};
            return () -> decided[0]++ < 25;
        });

        assertThat(admitted).isEqualTo(100);
    }

    @Test
    void sixteenThreadsOverFourClients_withRefill_admitCapacityPlusRefillWithinOneToken() throws Exception {
        // a token every 10 ms for a second; every token is either admitted or still in the bucket at the last debit.
        // The first debit empties the bucket: one left nearly full while the threads start would drop the refill
        // above its capacity, which the formula does not count.
        Policy policy = Policy.of("p", Limit.of(100, 100, Duration.ofSeconds(1)));
        String key = RedisKeys.of("r").of("p", BucketKey.of("hot"));
        List<RedisBackend> instances = List.of(backend("r"), backend("r"), backend("r"), backend("r"));
        int first = instances.get(0).consume(policy, BucketKey.of("hot"), 100).allowed() ? 100 : 0;
        long firstDebitMicros = Long.parseLong(redis.hget(key, "t"));
        int admitted = first
                + allowedFromSixteenThreads(instances, policy, () -> {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    return () -> System.nanoTime() < end;
                });
        long lastDebitMicros = Long.parseLong(redis.hget(key, "t"));
        double leftAtLastDebit = 100 - Long.parseLong(redis.hget(key, "d1")) / 10_000.0;

        double refilled = (lastDebitMicros - firstDebitMicros) / 10_000.0;
        assertThat(refilled).isGreaterThan(50);
        assertThat(admitted + leftAtLastDebit).isCloseTo(100 + refilled, within(1.0));
    }

    @Test
    void instancesWithSkewedClocks_agree_becauseNoClientTimeReachesRedis() {
        // no clock of this process can be injected into the backend; what proves it uses none is that the script
        // is called with nothing but the policy's figures, and the stored time is Redis' own
        try (RedisServerProcess server = RedisServerProcess.builder()
                        .option("--slowlog-log-slower-than", "0")
                        .start();
                JedisPooled a = server.pooled();
                JedisPooled b = server.pooled();
                Jedis admin = server.jedis()) {
            Policy policy = Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1)));
            RedisBackend first =
                    RedisBackend.builder().jedis(a).keyPrefix("skew").build();
            RedisBackend second =
                    RedisBackend.builder().jedis(b).keyPrefix("skew").build();
            admin.scriptLoad(BucketScript.load().body());
            admin.slowlogReset();

            first.consume(policy, BucketKey.of("u1"), 2);
            Decision fromSecond = second.consume(policy, BucketKey.of("u1"), 1);
            // newest first: EVALSHA, sha, key count, key, then the arguments
            List<List<String>> scriptCalls = admin.slowlogGet(128).stream()
                    .map(Slowlog::getArgs)
                    .filter(args -> args.get(0).toUpperCase(Locale.ROOT).startsWith("EVAL"))
                    .toList();
            long stored = Long.parseLong(a.hget(RedisKeys.of("skew").of("p", BucketKey.of("u1")), "t"));

            assertThat(fromSecond.remaining()).isEqualTo(2);
            assertThat(scriptCalls).hasSize(2);
            assertThat(scriptCalls.get(0).subList(4, scriptCalls.get(0).size()))
                    .isEqualTo(BucketScript.args(policy, 1, true))
                    .containsExactly("1", "1", "1", "5", "1", "12000000", "60000", "5:5:1aao");
            assertThat(scriptCalls.get(1).subList(4, scriptCalls.get(1).size()))
                    .isEqualTo(BucketScript.args(policy, 2, true));
            assertThat(serverMicros(a) - stored).isBetween(0L, 2_000_000L);
        }
    }

    private long serverMicros() {
        return serverMicros(redis);
    }

    private static long serverMicros(JedisPooled jedis) {
        @SuppressWarnings("unchecked")
        List<String> time = (List<String>) jedis.eval("return redis.call('TIME')");
        return Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
    }

    /**
     * Sixteen latched threads, four on each client, take one token at a time from the bucket {@code hot} for as long
     * as their own condition from {@code more} holds; the allowances, every decision made on Redis.
     */
    private static int allowedFromSixteenThreads(
            List<RedisBackend> clients, Policy policy, Supplier<BooleanSupplier> more) throws Exception {
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                RedisBackend backend = clients.get(t % clients.size());
                done.add(pool.submit(() -> {
                    start.await();
                    BooleanSupplier going = more.get();
                    while (going.getAsBoolean()) {
                        Decision d = backend.consume(policy, BucketKey.of("hot"), 1);
                        assertThat(d.degraded()).isFalse();
                        admitted.addAndGet(d.allowed() ? 1 : 0);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return admitted.get();
    }
}
