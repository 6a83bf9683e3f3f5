package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.testkit.RedisServerProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * Three decision services on one Redis of their own, one per failure mode (open, closed, local), under steady load
 * while the Redis process is killed, paused and has its script cache flushed.
 *
 * <p>Health as configured in the sample app: the starter's {@code r8limiter} Redis contributor takes overall health
 * DOWN (503) while Redis is gone, but it is outside the readiness and liveness groups, which stay UP: an instance
 * keeps serving through its failure mode.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisFaultsSystemTest {

    static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Room above the Redis timeout for the HTTP round trip, the JSON and a scheduler hiccup on a shared machine. */
    static final Duration MARGIN = Duration.ofMillis(400);
    /** The bound on how soon decisions, and health, use Redis again once it is back. */
    static final Duration RECOVERY = Duration.ofSeconds(1);
    /** Requests sent at once to one app while Redis is paused: twice the app's Redis pool of 64 connections. */
    static final int BURST = 128;

    static final int LOAD_THREADS = 3;

    static final Map<String, Long> MEASURED = new HashMap<>();

    private static RedisServerProcess redis;
    private static AppProcess open;
    private static AppProcess closed;
    private static AppProcess local;
    private static Fleet fleet;
    private static final Http http = Http.client();

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        List<AppProcess> apps = List.of(launch("open"), launch("closed"), launch("local"));
        apps.forEach(AppProcess::awaitReady);
        open = apps.get(0);
        closed = apps.get(1);
        local = apps.get(2);
        fleet = new Fleet(apps);
    }

    @AfterAll
    static void stop() {
        for (AppProcess app : new AppProcess[] {open, closed, local}) {
            if (app != null) {
                app.stop();
            }
        }
        if (redis != null) {
            redis.close();
        }
        System.out.println("RedisFaultsSystemTest measured: " + MEASURED);
    }

    private static AppProcess launch(String mode) {
        return AppProcess.launch(
                "faults-" + mode,
                List.of(
                        "--r8limiter.backend=redis",
                        "--spring.data.redis.url=redis://127.0.0.1:" + redis.port(),
                        "--r8limiter.redis.timeout=" + TIMEOUT.toMillis() + "ms",
                        "--r8limiter.failure-mode=" + mode,
                        "--r8limiter.policies.default.limits[0].capacity=1000000",
                        "--r8limiter.policies.default.limits[0].refill-tokens=1000000",
                        "--r8limiter.policies.default.limits[0].refill-period=1s",
                        "--server.tomcat.mbeanregistry.enabled=true"));
    }

    @Test
    @Order(1)
    void killedRedis_everyRequestAnswersByItsFailureModeInTime_andRedisDecidesAgainSoonAfterARestart() {
        Map<AppProcess, Long> threadsBefore = fleet.gauge(Prometheus::threads);
        Load load = Load.start(List.of(open, closed, local), 2, n -> Query.allow("kill-" + (n % 50), "r"));
        awaitNonDegradedFromEveryApp(load, System.nanoTime());
        // counted after the same second of load as the count after recovery: the pools open connections as the load
        // asks for them, and counted at the first decision they had one fewer in some runs (8 against 9)
        AppProcess.sleep(Duration.ofSeconds(1));
        long clientsBefore = connectedClients();
        Map<AppProcess, Long> filesBefore = fleet.gauge(Prometheus::openFiles);

        long killedAt = System.nanoTime();
        redis.kill();
        Map<AppProcess, Long> healthDown = fleet.awaitHealth(503, killedAt);
        Map<AppProcess, String> probesDuringOutage = fleet.probes();
        sleepUntil(killedAt + Duration.ofSeconds(3).toNanos());
        redis.restart();
        long restartedAt = System.nanoTime();
        Map<AppProcess, Long> healthUp = fleet.awaitHealth(200, restartedAt);
        Map<AppProcess, Long> recovery = awaitNonDegradedFromEveryApp(load, restartedAt);
        AppProcess.sleep(Duration.ofSeconds(1));
        long clientsAfter = connectedClients();
        Map<AppProcess, Long> filesAfter = fleet.gauge(Prometheus::openFiles);
        load.close();

        List<Load.Sample> outage = load.between(killedAt, restartedAt);
        assertThat(load.samples())
                .allSatisfy(s -> assertThat(s.status()).as(s.body()).isEqualTo(200));
        assertThat(outage).filteredOn(s -> s.app() == open).allSatisfy(s -> assertThat(s.allowed())
                .isTrue());
        assertThat(outage)
                .filteredOn(s -> s.app() == closed && s.degraded())
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.allowed()).isFalse());
        assertThat(outage).filteredOn(Load.Sample::degraded).isNotEmpty();
        long worst = worst(outage);
        assertThat(worst).isLessThanOrEqualTo(TIMEOUT.plus(MARGIN).toMillis());
        assertThat(recovery.values()).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(RECOVERY.toMillis()));
        assertThat(healthDown.values()).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(RECOVERY.toMillis()));
        assertThat(probesDuringOutage.values()).allSatisfy(p -> assertThat(p).isEqualTo("DOWN 200 200"));
        assertThat(healthUp.values()).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(RECOVERY.toMillis()));
        Map<AppProcess, Long> threadsAfter = fleet.gauge(Prometheus::threads);
        threadsBefore.forEach((app, before) -> assertThat(threadsAfter.get(app)).isLessThanOrEqualTo(before + 5));
        filesBefore.forEach((app, before) -> assertThat(filesAfter.get(app)).isLessThanOrEqualTo(before + 5));
        // The pools reconnect as load asks (one more per app at most), not once per call failed during the outage.
        assertThat(clientsAfter).as("Redis connections after recovery").isLessThanOrEqualTo(clientsBefore + 3);
        MEASURED.put("kill.outageDecisions", (long) outage.size());
        MEASURED.put("kill.redisClientsBefore", clientsBefore);
        MEASURED.put("kill.redisClientsAfter", clientsAfter);
        MEASURED.put("kill.worstLatencyMs", worst);
        MEASURED.put("kill.recoveryMsMax", Fleet.max(recovery));
        MEASURED.put("kill.healthDownMsMax", Fleet.max(healthDown));
        MEASURED.put("kill.healthUpMsMax", Fleet.max(healthUp));
        MEASURED.put("kill.threadGrowthMax", Fleet.growth(threadsBefore, threadsAfter));
        MEASURED.put("kill.openFilesGrowthMax", Fleet.growth(filesBefore, filesAfter));
    }

    @Test
    @Order(2)
    void pausedRedis_timeoutsHold_theCircuitOpens_andNoQueueBuildsUp() {
        List<AppProcess> apps = List.of(open, closed, local);
        Load load = Load.start(apps, LOAD_THREADS, n -> Query.allow("pause-" + (n % 50), "r"));
        awaitNonDegradedFromEveryApp(load, System.nanoTime());

        // One burst fills Tomcat's thread pool; the next is what the same burst costs while Redis is healthy.
        Load.burst(List.of(closed), BURST, n -> Query.allow("burst-warm-" + n, "r"));
        long healthyBurst = worst(Load.burst(List.of(closed), BURST, n -> Query.allow("burst-healthy-" + n, "r")));
        long pausedAt = System.nanoTime();
        // Released as Redis stops, so that the burst meets closed circuits and every request waits on Redis.
        List<Load.Sample> burst = Load.burst(List.of(closed), BURST, n -> Query.allow("burst-" + n, "r"), redis::pause);
        long burstDone = System.nanoTime();
        Map<AppProcess, Long> busyDuringPause = fleet.gauge(Prometheus::busyThreads);
        sleepUntil(pausedAt + Duration.ofSeconds(3).toNanos());
        long resumedAt = System.nanoTime();
        redis.resume();
        Map<AppProcess, Long> recovery = awaitNonDegradedFromEveryApp(load, resumedAt);
        load.close();
        Map<AppProcess, Long> busyAfter = fleet.awaitIdle();

        List<Load.Sample> stalled = load.between(pausedAt, resumedAt);
        long worst = worst(
                stalled.stream().filter(s -> s.startedNanos() >= burstDone).toList());
        long fast = stalled.stream()
                .filter(s -> s.degraded() && s.latencyNanos() < TIMEOUT.toNanos() / 2)
                .count();
        long worstBurst = worst(burst);
        assertThat(load.samples())
                .allSatisfy(s -> assertThat(s.status()).as(s.body()).isEqualTo(200));
        assertThat(burst).allSatisfy(s -> assertThat(s.status()).as(s.body()).isEqualTo(200));
        assertThat(burst).filteredOn(Load.Sample::degraded).isNotEmpty();
        assertThat(worst)
                .as("slowest of the steady load after the burst")
                .isLessThanOrEqualTo(TIMEOUT.plus(MARGIN).toMillis());
        // Two shared cores serve 128 new connections at once slowly even with Redis healthy. The stall may add one
        // wait for a pooled connection and one Redis call, each bounded by the timeout, never a queue of them.
        assertThat(worstBurst)
                .as("slowest of the burst, against %d ms with Redis healthy", healthyBurst)
                .isLessThanOrEqualTo(
                        healthyBurst + TIMEOUT.multipliedBy(2).plus(MARGIN).toMillis());
        assertThat(fast)
                .as("decisions answered by an open circuit without waiting")
                .isPositive();
        // The scrape itself holds one request thread; the load's threads may hold one each.
        assertThat(busyDuringPause.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(LOAD_THREADS + 1));
        assertThat(busyAfter.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1));
        assertThat(recovery.values()).allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(RECOVERY.toMillis()));
        MEASURED.put("pause.decisions", (long) stalled.size());
        MEASURED.put("pause.fastDegraded", fast);
        MEASURED.put("pause.worstLatencyMs", worst);
        MEASURED.put("pause.burstRequests", (long) burst.size());
        MEASURED.put(
                "pause.burstDegraded",
                burst.stream().filter(Load.Sample::degraded).count());
        MEASURED.put("pause.burstWorstLatencyMs", worstBurst);
        MEASURED.put("pause.healthyBurstWorstLatencyMs", healthyBurst);
        MEASURED.put("pause.busyThreadsDuringPauseMax", Fleet.max(busyDuringPause));
        MEASURED.put("pause.busyThreadsAfterMax", Fleet.max(busyAfter));
        MEASURED.put("pause.recoveryMsMax", Fleet.max(recovery));
    }

    @Test
    @Order(3)
    void scriptFlushAndQuietRestart_neverCostADecision() {
        int degraded = 0;
        for (int i = 0; i < 300; i++) {
            if (i % 20 == 0) {
                redis.scriptFlush();
            }
            AppProcess app = List.of(open, closed, local).get(i % 3);
            if (http.post(app.uri(Query.allow("flush-" + (i % 7), "r")))
                    .json()
                    .path("degraded")
                    .asBoolean()) {
                degraded++;
            }
        }
        redis.restart();

        for (AppProcess app : List.of(open, closed, local)) {
            var json = http.post(app.uri(Query.allow("after-restart-" + app.port(), "r")))
                    .json();
            assertThat(json.path("degraded").asBoolean()).as(app + " " + json).isFalse();
            assertThat(json.path("remaining").asLong()).isEqualTo(999_999);
        }
        assertThat(degraded).isZero();
    }

    /** Waits for a non-degraded answer from every app completed after {@code since}; the wait per app in ms. */
    private static Map<AppProcess, Long> awaitNonDegradedFromEveryApp(Load load, long since) {
        Map<AppProcess, Long> waits = new HashMap<>();
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (Load.Sample s : load.between(since, Long.MAX_VALUE)) {
                if (s.status() == 200 && !s.degraded()) {
                    waits.merge(s.app(), (s.completedNanos() - since) / 1_000_000, Math::min);
                }
            }
            return waits.size() == 3;
        });
        return waits;
    }

    private static void sleepUntil(long deadlineNanos) {
        AppProcess.sleep(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    }

    private static long worst(List<Load.Sample> samples) {
        return samples.stream().mapToLong(Load.Sample::latencyMillis).max().orElse(0);
    }

    /** Clients connected to Redis, not counting the connection that asks. */
    private static long connectedClients() {
        try (Jedis jedis = redis.jedis()) {
            String info = jedis.info("clients");
            Matcher m = Pattern.compile("connected_clients:(\\d+)").matcher(info);
            if (!m.find()) {
                throw new IllegalStateException("no connected_clients in " + info);
            }
            return Long.parseLong(m.group(1)) - 1;
        }
    }
}
