package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.FailureMode;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.testkit.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/** Outages: Redis unreachable, killed, restarted, paused; every decision answers in time by the failure mode. */
class RedisFaultTest {

    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final long MARGIN_MILLIS = 100;
    private static final Policy POLICY = Policy.of("p", Limit.perPeriod(5, Duration.ofMinutes(1)));

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private RedisBackend backend(HostAndPort server, FailureMode mode) {
        JedisPooled client = RedisClients.standalone(server, TIMEOUT);
        resources.add(client);
        RedisBackend.Builder builder = RedisBackend.builder().jedis(client);
        return (mode == null ? builder : builder.failureMode(mode)).build();
    }

    private RedisServerProcess server() {
        RedisServerProcess server = RedisServerProcess.start();
        resources.add(server);
        return server;
    }

    private static Decision timed(RateLimiter limiter, BucketKey key) {
        long start = System.nanoTime();
        Decision d = limiter.tryConsume("p", key, 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .isLessThanOrEqualTo(TIMEOUT.toMillis() + MARGIN_MILLIS);
        return d;
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void unreachableRedis_answersByTheFailureMode_C15(FailureMode mode) throws IOException {
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend(new HostAndPort("127.0.0.1", freePort()), mode))
                .policies(POLICY)
                .build();
        List<Decision> decisions = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            decisions.add(timed(limiter, BucketKey.of("u1", "r1")));
        }

        assertThat(decisions).allMatch(Decision::degraded);
        switch (mode) {
            case OPEN ->
                assertThat(decisions).allMatch(d -> d.allowed() && d.retryAfterMillis() == 0 && d.limit() == 5);
            case CLOSED -> assertThat(decisions).allMatch(d -> d.denied() && d.retryAfterMillis() >= 1);
            case LOCAL -> {
                assertThat(decisions.subList(0, 5))
                        .extracting(Decision::remaining)
                        .containsExactly(4L, 3L, 2L, 1L, 0L);
                assertThat(decisions.subList(0, 5)).allMatch(Decision::allowed);
                assertThat(decisions.subList(5, 20)).allMatch(Decision::denied);
            }
        }
    }

    @Test
    void noFailureModeConfigured_behavesAsOpen_C15() throws IOException {
        RedisBackend backend = backend(new HostAndPort("127.0.0.1", freePort()), null);

        Decision d = backend.consume(POLICY, BucketKey.of("u1"), 1);

        assertThat(backend.failureMode()).isEqualTo(FailureMode.OPEN);
        assertThat(d).isEqualTo(Decision.degraded(POLICY, true));
    }

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void killedRedis_answersWithinTheTimeout_andARestartRecoversWithinASecond(FailureMode mode) {
        RedisServerProcess server = server();
        RedisBackend backend = backend(server.hostAndPort(), mode);
        RateLimiter limiter =
                RateLimiter.builder().backend(backend).policies(POLICY).build();
        List<CircuitState> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
        backend.onCircuitStateChange(transitions::add);
        assertThat(timed(limiter, BucketKey.of("u1")).degraded()).isFalse();

        server.kill();
        List<Decision> during = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            during.add(timed(limiter, BucketKey.of("u1")));
        }
        server.restart();
        long restarted = System.nanoTime();
        await().atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !limiter.tryConsume("p", BucketKey.of("u2"), 1).degraded());

        assertThat(during).allMatch(Decision::degraded);
        switch (mode) {
            case OPEN -> assertThat(during).allMatch(Decision::allowed);
            case CLOSED -> assertThat(during).allMatch(Decision::denied);
            case LOCAL -> assertThat(during).filteredOn(Decision::allowed).hasSize(5);
        }
        assertThat(transitions).startsWith(CircuitState.OPEN).contains(CircuitState.HALF_OPEN);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted)).isLessThan(1000);
        await().atMost(Duration.ofSeconds(1)).until(() -> {
            limiter.tryConsume("p", BucketKey.of("u2"), 1);
            return backend.circuitState() == CircuitState.CLOSED;
        });
    }

    @Test
    void pausedRedis_honoursTheTimeout_andResumes() {
        RedisServerProcess server = server();
        RedisBackend backend = backend(server.hostAndPort(), FailureMode.OPEN);
        RateLimiter limiter =
                RateLimiter.builder().backend(backend).policies(POLICY).build();
        timed(limiter, BucketKey.of("u1"));

        server.pause();
        List<Decision> during = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            during.add(timed(limiter, BucketKey.of("u1")));
        }
        server.resume();

        assertThat(during).allMatch(d -> d.degraded() && d.allowed());
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !limiter.tryConsume("p", BucketKey.of("u3"), 1).degraded());
    }

    @Test
    void restartWithoutPersistence_givesAFreshBucket_notADegradedDecision_C13() {
        RedisServerProcess server = server();
        JedisPooled client = RedisClients.standalone(server.hostAndPort(), TIMEOUT);
        resources.add(client);
        RedisBackend backend = RedisBackend.builder()
                .jedis(client)
                .failureMode(FailureMode.CLOSED)
                .build();
        backend.consume(POLICY, BucketKey.of("u1"), 3);

        server.stop();
        server.restart();
        // at once, before the pool's background check: the connection the old server closed is PINGed on borrow,
        // since it sat idle through the restart, and replaced instead of costing the decision
        Decision after = backend.consume(POLICY, BucketKey.of("u1"), 1);

        assertThat(after.degraded()).isFalse();
        assertThat(after.allowed()).isTrue();
        assertThat(after.remaining()).isEqualTo(4);
    }

    @Test
    void aConnectionClosedAfterTheScriptRan_isNeverResent() throws Exception {
        // the server ran the script, then the connection ended before the reply: sending the decision again on a
        // fresh connection (once taken for a stale pooled one) ran the script twice, two tokens for one decision
        RedisServerProcess server = server();
        try (Jedis direct = server.jedis()) {
            direct.scriptLoad(BucketScript.load().body());
        }
        ReplyDroppingProxy proxy = ReplyDroppingProxy.start(server.hostAndPort());
        resources.add(proxy);
        RedisBackend throughProxy = backend(proxy.hostAndPort(), FailureMode.CLOSED);

        Decision lost = throughProxy.consume(POLICY, BucketKey.of("u1"), 1);
        Decision peek = backend(server.hostAndPort(), FailureMode.CLOSED).peek(POLICY, BucketKey.of("u1"));

        assertThat(lost.degraded()).isTrue();
        assertThat(peek.degraded()).isFalse();
        assertThat(peek.remaining()).isEqualTo(4);
    }

    @Test
    void localMode_peeksAndResetsItsOwnBuckets() throws IOException {
        RedisBackend backend = backend(new HostAndPort("127.0.0.1", freePort()), FailureMode.LOCAL);

        backend.consume(POLICY, BucketKey.of("u1"), 2);
        Decision peek = backend.peek(POLICY, BucketKey.of("u1"));

        assertThat(peek.degraded()).isTrue();
        assertThat(peek.remaining()).isEqualTo(3);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
