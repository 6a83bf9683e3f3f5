package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Decisions sent together in pipelines: as exact as one by one, and as safe in an outage. */
class CoalescedRedisTest {

    private static final Policy POLICY = Policy.of("p", Limit.of(10, 1, Duration.ofMinutes(1)));

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void clean() {
        SharedRedis.flushAll();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private RedisBackend backend(RedisServerProcess server, Duration timeout, FailureMode mode) {
        JedisPooled client = RedisClients.standalone(server.hostAndPort(), timeout);
        RedisBackend backend =
                RedisBackend.builder().jedis(client).failureMode(mode).build();
        resources.add(backend);
        resources.add(client);
        return backend;
    }

    private static List<Decision> burst(RedisBackend backend, BucketKey key, int n) {
        List<CompletableFuture<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(backend.consumeAsync(POLICY, key, 1).toCompletableFuture());
        }
        return futures.stream()
                .map(f -> f.orTimeout(10, TimeUnit.SECONDS).join())
                .toList();
    }

    @Test
    void coalescedDecisions_admitExactlyCapacity_evenAfterAScriptFlush() {
        RedisBackend backend = backend(SharedRedis.standalone(), Duration.ofSeconds(2), FailureMode.CLOSED);
        burst(backend, BucketKey.of("warm"), 1);
        SharedRedis.standalone().scriptFlush();

        List<Decision> decisions = burst(backend, BucketKey.of("u1"), 200);

        assertThat(backend.largestBatch()).isGreaterThan(1);
        assertThat(decisions).noneMatch(Decision::degraded);
        assertThat(decisions.stream().filter(Decision::allowed))
                .extracting(Decision::remaining)
                .containsExactlyInAnyOrder(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void synchronousCallers_shareRoundTrips_andAdmitExactlyCapacity() throws Exception {
        RedisBackend backend = backend(SharedRedis.standalone(), Duration.ofSeconds(2), FailureMode.CLOSED);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> admitted = new ArrayList<>();

        for (int t = 0; t < 16; t++) {
            admitted.add(threads.submit(() -> {
                start.await();
                long allowed = 0;
                for (int i = 0; i < 100; i++) {
                    Decision d = backend.consume(POLICY, BucketKey.of("hot"), 1);
                    assertThat(d.degraded()).isFalse();
                    allowed += d.allowed() ? 1 : 0;
                }
                return allowed;
            }));
        }
        start.countDown();
        long total = 0;
        for (Future<Long> f : admitted) {
            total += f.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(total).isEqualTo(10);
        assertThat(backend.largestBatch()).isGreaterThan(1);
    }

    @Test
    void coalescedDecisions_onADeadRedis_answerByTheFailureMode() {
        RedisServerProcess server = RedisServerProcess.start();
        resources.add(server);
        RedisBackend backend = backend(server, Duration.ofMillis(200), FailureMode.LOCAL);
        burst(backend, BucketKey.of("warm"), 1);

        server.kill();
        long start = System.nanoTime();
        List<Decision> decisions = burst(backend, BucketKey.of("u1"), 100);

        assertThat(decisions).allMatch(Decision::degraded);
        assertThat(decisions).filteredOn(Decision::allowed).hasSize(10);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    }

    @Test
    void aStalledRedis_opensTheCircuitAfterOneRoundOfPipelines_soNoCallerWaitsMuchPastTheTimeout() throws Exception {
        // the circuit once counted a failed pipeline as one call: five rounds of 200 ms timeouts passed before it
        // opened, and callers queued behind them waited a second
        RedisServerProcess server = RedisServerProcess.start();
        resources.add(server);
        RedisBackend backend = backend(server, Duration.ofMillis(200), FailureMode.OPEN);
        backend.consume(POLICY, BucketKey.of("warm"), 1);
        ExecutorService threads = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> millis = new ArrayList<>();

        server.pause();
        try {
            for (int t = 0; t < 64; t++) {
                BucketKey key = BucketKey.of("u" + t);
                millis.add(threads.submit(() -> {
                    start.await();
                    long begin = System.nanoTime();
                    assertThat(backend.consume(POLICY, key, 1).degraded()).isTrue();
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                }));
            }
            start.countDown();
            long slowest = 0;
            for (Future<Long> f : millis) {
                slowest = Math.max(slowest, f.get(30, TimeUnit.SECONDS));
            }

            assertThat(slowest).isLessThan(700);
            assertThat(backend.circuitState()).isEqualTo(CircuitState.OPEN);
        } finally {
            server.resume();
            threads.shutdown();
        }
    }

    @Test
    void invalidCost_failsTheStage_withoutAQueuedDecision() {
        RedisBackend backend = backend(SharedRedis.standalone(), Duration.ofSeconds(2), FailureMode.OPEN);

        CompletableFuture<Decision> stage =
                backend.consumeAsync(POLICY, BucketKey.of("u1"), 0).toCompletableFuture();

        assertThat(stage).isCompletedExceptionally();
        assertThat(stage.handle((d, e) -> e.getMessage()).join()).isEqualTo("cost must be positive but was 0");
    }
}
