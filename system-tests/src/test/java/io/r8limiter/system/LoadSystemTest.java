package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.testkit.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two decision services on one Redis of their own: exact admission under concurrent load through both, then a bounded
 * soak over many distinct keys in which heap and Redis memory level off and no key is left without an expiry.
 *
 * <p>In the soak a quarter of the requests come from 200 hot users on a small policy, so that most of theirs are
 * denied and the fleet-wide offender statistics in Redis work all along. The hot users are a bounded set on purpose:
 * Redis keeps one sorted-set member per distinct offender per minute for the whole stats window (15 minutes by
 * default), so a stream of ever-new offenders would grow Redis memory for that long by design.
 */
class LoadSystemTest {

    /** Length of the soak; {@code -Dr8limiter.soak.seconds=} makes it longer for a manual run. */
    static final Duration SOAK = Duration.ofSeconds(Long.getLong("r8limiter.soak.seconds", 60));

    static final Map<String, Object> MEASURED = new HashMap<>();
    static final String BEARER = "Bearer " + AppProcess.ADMIN_TOKEN;

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
                "--r8limiter.policies.soak.limits[0].refill-period=2s",
                "--r8limiter.policies.hot.limits[0].capacity=2",
                "--r8limiter.policies.hot.limits[0].refill-tokens=2",
                "--r8limiter.policies.hot.limits[0].refill-period=10s");
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
        MEASURED.put(
                "exact.admittedPerUser",
                remainingSeen.values().stream()
                        .map(List::size)
                        .distinct()
                        .sorted()
                        .toList());
    }

    @Test
    void boundedSoakOverManyDistinctKeys_levelsOff_andLeavesNoKeyWithoutExpiry() {
        List<long[]> liveHeap = new ArrayList<>();
        List<Long> redisMemory = new ArrayList<>();
        List<Long> redisKeys = new ArrayList<>();
        List<Http.Reply> stats = new ArrayList<>();
        long startThreads = Prometheus.scrape(http, apps.get(0)).threads();
        Load load = Load.start(apps, 3, LoadSystemTest::soakTarget);
        long end = System.nanoTime() + SOAK.toNanos();

        for (int round = 1; System.nanoTime() < end; round++) {
            AppProcess.sleep(Duration.ofSeconds(3));
            redisMemory.add(redis.usedMemoryBytes());
            redisKeys.add(redis.dbSize());
            stats.add(http.get(apps.get(round % 2).uri("/admin/stats?limit=50"), BEARER));
            if (round % 4 == 0) {
                liveHeap.add(apps.stream()
                        .mapToLong(LoadSystemTest::liveHeapAfterFullGc)
                        .toArray());
            }
        }
        load.close();
        long decisions = load.samples().size();
        AppProcess.sleep(Duration.ofMillis(2_500));

        assertThat(load.samples())
                .allSatisfy(s -> assertThat(s.status()).as(s.body()).isEqualTo(200));
        assertThat(load.samples()).noneMatch(Load.Sample::degraded);
        long denied = load.samples().stream().filter(s -> !s.allowed()).count();
        assertThat(denied).isGreaterThan(decisions / 8);
        List<String> withoutTtl = redis.keysWithoutTtl().stream()
                .filter(k -> !k.startsWith("r8:1:{policies}"))
                .toList();
        assertThat(withoutTtl).isEmpty();
        assertPlateau("redis used_memory", redisMemory, true, 8L << 20);
        for (int app = 0; app < apps.size(); app++) {
            int i = app;
            // After a full collection the old generation holds only what is live: 2 MiB of growth is a leak.
            assertPlateau(
                    "live heap of " + apps.get(i),
                    liveHeap.stream().map(h -> h[i]).toList(),
                    false,
                    2L << 20);
        }
        List<Http.Reply> listed = stats.subList(1, stats.size());
        assertThat(listed).allSatisfy(LoadSystemTest::assertNoFreshUserListed);
        IntSummaryStatistics sizes =
                listed.stream().mapToInt(r -> r.body().length()).summaryStatistics();
        // Only which users are listed (ids of 7 to 11 characters) and their counts' digits may change the size.
        assertThat(sizes.getMax() - sizes.getMin()).isLessThanOrEqualTo(50 * 8);
        assertThat(Prometheus.scrape(http, apps.get(0)).threads()).isLessThanOrEqualTo(startThreads + 10);
        MEASURED.put("soak.seconds", SOAK.toSeconds());
        MEASURED.put("soak.decisions", decisions);
        MEASURED.put("soak.denied", denied);
        MEASURED.put("soak.redisUsedMemory", redisMemory);
        MEASURED.put("soak.redisKeys", redisKeys);
        MEASURED.put(
                "soak.liveHeapAfterGcKiB",
                liveHeap.stream().map(h -> (h[0] >> 10) + "/" + (h[1] >> 10)).toList());
        MEASURED.put("soak.statsBytes", sizes.getMin() + "-" + sizes.getMax());
        MEASURED.put("soak.keysAfter", redis.dbSize());
    }

    /** Every fourth request comes from one of 200 hot users; every other one from a user never seen before. */
    private static String soakTarget(long n) {
        return n % 4 == 0 ? Query.allow("soak-hot-" + (n / 4 % 200), "hot") : Query.allow("soak-" + n, "soak");
    }

    /**
     * The fleet's top offenders are 50 hot or exactness users: a fresh user sends one request and is never denied,
     * so it is never listed however many there are.
     */
    private static void assertNoFreshUserListed(Http.Reply stats) {
        assertThat(stats.status()).as(stats.body()).isEqualTo(200);
        JsonNode offenders = stats.json().path("top_offenders");
        assertThat(offenders.size()).as(stats.body()).isEqualTo(50);
        offenders.forEach(o -> assertThat(o.path("user_id").asString()).matches("soak-hot-[0-9]+|exact-[0-9]+"));
    }

    /**
     * Runs a full collection in {@code app} (through {@code jcmd GC.run}) and returns the old generation's occupancy
     * after it, so that heap samples do not depend on where the young generation's sawtooth happened to be.
     */
    private static long liveHeapAfterFullGc(AppProcess app) {
        double before = fullCollections(app);
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(app.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("jcmd GC.run finished")
                    .isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> fullCollections(app) > before);
        return Prometheus.scrape(http, app).liveDataBytes();
    }

    private static double fullCollections(AppProcess app) {
        return Prometheus.scrape(http, app).sum("jvm_gc_pause_seconds_count", "action=\"end of major GC\"");
    }

    /**
     * The peak of the last third of the samples is at most a quarter plus {@code slackBytes} above the peak of the
     * middle third, or exactly {@code slackBytes} above it when {@code proportional} is false.
     */
    private static void assertPlateau(String what, List<Long> samples, boolean proportional, long slackBytes) {
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
                .isLessThanOrEqualTo(middle + (proportional ? middle / 4 : 0) + slackBytes);
    }
}
