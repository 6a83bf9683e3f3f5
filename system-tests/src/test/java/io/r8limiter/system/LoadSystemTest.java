package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two decision services on one Redis of their own: exact admission under concurrent load through both, then a bounded
 * soak over many distinct keys in which heap and Redis memory level off and no key is left without an expiry.
 */
class LoadSystemTest {

    /** Length of the soak; {@code -Dr8limiter.soak.seconds=} makes it longer for a manual run. */
    static final Duration SOAK = Duration.ofSeconds(Long.getLong("r8limiter.soak.seconds", 60));

    static final Map<String, Object> MEASURED = new HashMap<>();

    private static RedisServerProcess redis;
    private static List<AppProcess> apps;
    private static final Http http = Http.client();

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        apps = AppProcess.startAll(
                2,
                "load",
                "--r8limiter.backend=redis",
                "--spring.data.redis.url=redis://127.0.0.1:" + redis.port(),
                "--r8limiter.failure-mode=closed",
                "--r8limiter.policies.exact.limits[0].capacity=100",
                "--r8limiter.policies.exact.limits[0].refill-tokens=1",
                "--r8limiter.policies.exact.limits[0].refill-period=30d",
                "--r8limiter.policies.soak.limits[0].capacity=10",
                "--r8limiter.policies.soak.limits[0].refill-tokens=10",
                "--r8limiter.policies.soak.limits[0].refill-period=2s");
    }

    @AfterAll
    static void stop() {
        if (apps != null) {
            apps.forEach(AppProcess::stop);
        }
        if (redis != null) {
            redis.close();
        }
        System.out.println("LoadSystemTest measured: " + MEASURED);
    }

    @Test
    void twoInstancesOnOneRedis_admitExactlyTheCapacity_toTheToken() throws Exception {
        int users = 20;
        int perUser = 150;
        Map<String, List<Long>> remainingSeen = new ConcurrentHashMap<>();
        AtomicLong degraded = new AtomicLong();
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();

        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                Http client = Http.client();
                gate.await();
                for (int i = thread; i < users * perUser; i += 8) {
                    String user = "exact-" + (i % users);
                    var json = client.post(apps.get(i % 2).uri(Query.allow(user, "exact")))
                            .json();
                    if (json.path("degraded").asBoolean()) {
                        degraded.incrementAndGet();
                    }
                    if (json.path("allowed").asBoolean()) {
                        remainingSeen
                                .computeIfAbsent(user, u -> Collections.synchronizedList(new ArrayList<>()))
                                .add(json.path("remaining").asLong());
                    }
                }
                return null;
            }));
        }
        gate.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(degraded.get()).isZero();
        assertThat(remainingSeen).hasSize(users);
        List<Long> expected = new ArrayList<>();
        for (long r = 99; r >= 0; r--) {
            expected.add(r);
        }
        remainingSeen.forEach((user, seen) -> assertThat(seen).as(user).containsExactlyInAnyOrderElementsOf(expected));
        MEASURED.put("exact.requests", users * perUser);
        MEASURED.put("exact.admittedPerUser", 100);
    }

    @Test
    void boundedSoakOverManyDistinctKeys_levelsOff_andLeavesNoKeyWithoutExpiry() {
        List<long[]> heap = new ArrayList<>();
        List<Long> redisMemory = new ArrayList<>();
        List<Long> redisKeys = new ArrayList<>();
        long startThreads = Prometheus.scrape(http, apps.get(0)).threads();
        Load load = Load.start(apps, 3, n -> Query.allow("soak-" + n, "soak"));
        long end = System.nanoTime() + SOAK.toNanos();

        while (System.nanoTime() < end) {
            AppProcess.sleep(Duration.ofSeconds(3));
            heap.add(apps.stream()
                    .mapToLong(a -> Prometheus.scrape(http, a).heapUsedBytes())
                    .toArray());
            redisMemory.add(redis.usedMemoryBytes());
            redisKeys.add(redis.dbSize());
        }
        load.close();
        long decisions = load.samples().size();
        AppProcess.sleep(Duration.ofMillis(2_500));

        assertThat(load.samples())
                .allSatisfy(s -> assertThat(s.status()).as(s.body()).isEqualTo(200));
        assertThat(load.samples()).noneMatch(Load.Sample::degraded);
        List<String> withoutTtl = redis.keysWithoutTtl().stream()
                .filter(k -> !k.startsWith("r8:1:{policies}"))
                .toList();
        assertThat(withoutTtl).isEmpty();
        assertThat(redis.keysWithoutTtl()).allMatch(k -> k.startsWith("r8:1:{policies}"));
        assertPlateau("redis used_memory", redisMemory);
        for (int app = 0; app < apps.size(); app++) {
            int i = app;
            assertPlateau("heap of " + apps.get(i), heap.stream().map(h -> h[i]).toList());
        }
        assertThat(Prometheus.scrape(http, apps.get(0)).threads()).isLessThanOrEqualTo(startThreads + 10);
        MEASURED.put("soak.seconds", SOAK.toSeconds());
        MEASURED.put("soak.decisions", decisions);
        MEASURED.put("soak.redisUsedMemory", redisMemory);
        MEASURED.put("soak.redisKeys", redisKeys);
        MEASURED.put(
                "soak.heapMiB",
                heap.stream().map(h -> (h[0] >> 20) + "/" + (h[1] >> 20)).toList());
        MEASURED.put("soak.keysAfter", redis.dbSize());
    }

    /** The peak of the last third of the samples is not far above the peak of the middle third. */
    private static void assertPlateau(String what, List<Long> samples) {
        int third = samples.size() / 3;
        long middle = samples.subList(third, 2 * third).stream()
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        long last = samples.subList(2 * third, samples.size()).stream()
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        assertThat(last)
                .as("%s: last third's peak over the middle third's peak in %s", what, samples)
                .isLessThanOrEqualTo(middle + middle / 4 + (8L << 20));
    }
}
