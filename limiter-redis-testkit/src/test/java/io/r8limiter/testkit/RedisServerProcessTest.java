package io.r8limiter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;

class RedisServerProcessTest {

    private static RedisServerProcess redis;

    @BeforeAll
    static void startServer() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopServer() {
        redis.close();
    }

    @Test
    void start_answersCommandsOnItsOwnPort() {
        try (Jedis jedis = redis.jedis()) {
            jedis.set("greeting", "hello");

            assertThat(jedis.get("greeting")).isEqualTo("hello");
        }
        assertThat(redis.port()).isNotEqualTo(6379);
        assertThat(redis.uri()).hasToString("redis://127.0.0.1:" + redis.port());
        assertThat(redis.isRunning()).isTrue();
    }

    @Test
    void start_disablesPersistence() {
        try (Jedis jedis = redis.jedis()) {
            assertThat(jedis.configGet("save")).containsEntry("save", "");
            assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
        }
    }

    @Test
    void builder_passesExtraOptions() {
        try (RedisServerProcess server = RedisServerProcess.builder()
                        .option("--maxmemory", "10mb")
                        .start();
                Jedis jedis = server.jedis()) {
            assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", "10485760");
        }
    }

    @Test
    void restart_keepsThePortAndLosesTheData() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            int port = server.port();
            long pid = server.pid();
            try (Jedis jedis = server.jedis()) {
                jedis.set("doomed", "1");
            }

            server.restart();

            assertThat(server.port()).isEqualTo(port);
            assertThat(server.pid()).isNotEqualTo(pid);
            try (Jedis jedis = server.jedis()) {
                assertThat(jedis.exists("doomed")).isFalse();
            }
        }
    }

    @Test
    void kill_endsTheProcessAndRefusesConnections() {
        RedisServerProcess server = RedisServerProcess.start();
        long pid = server.pid();

        server.kill();

        assertThat(server.isRunning()).isFalse();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThatThrownBy(() -> {
                    try (Jedis jedis = server.jedis()) {
                        jedis.ping();
                    }
                })
                .isInstanceOf(JedisConnectionException.class);
        server.close();
    }

    @Test
    void stop_isGracefulAndIdempotent() {
        RedisServerProcess server = RedisServerProcess.start();

        server.stop();
        server.stop();
        server.close();

        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void pause_makesCommandsTimeOutUntilResumed() {
        try (RedisServerProcess server = RedisServerProcess.start();
                JedisPooled client = server.pooled(Duration.ofMillis(200))) {
            client.set("k", "v");

            server.pause();

            assertThat(server.isPaused()).isTrue();
            assertThatThrownBy(() -> client.get("k"))
                    .isInstanceOf(JedisConnectionException.class)
                    .hasStackTraceContaining("Read timed out");

            server.resume();

            assertThat(client.get("k")).isEqualTo("v");
        }
    }

    @Test
    void kill_worksOnAPausedServer() {
        RedisServerProcess server = RedisServerProcess.start();
        server.pause();

        server.kill();

        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void keysWithoutTtl_listsOnlyKeysThatNeverExpire() {
        try (Jedis jedis = redis.jedis()) {
            jedis.flushAll();
            jedis.set("forever", "1");
            jedis.psetex("fleeting", 60_000, "2");
        }

        assertThat(redis.keysWithoutTtl()).containsExactly("forever");
        assertThat(redis.dbSize()).isEqualTo(2);
        assertThat(redis.usedMemoryBytes()).isPositive();
    }

    @Test
    void logTail_showsTheServerLog() throws Exception {
        assertThat(Files.exists(redis.directory().resolve("redis.log"))).isTrue();
        assertThat(redis.logTail(50)).contains("Ready to accept connections");
    }

    @Test
    void builder_rejectsOptionsWithoutDashes() {
        assertThatThrownBy(() -> RedisServerProcess.builder().option("maxmemory", "1mb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("option must start with -- but was maxmemory");
    }

    @Test
    void sharedStandalone_isStartedOnceAndHealsAfterAKill() {
        RedisServerProcess first = SharedRedis.standalone();
        first.kill();

        RedisServerProcess second = SharedRedis.standalone();

        assertThat(second).isSameAs(first);
        assertThat(second.isRunning()).isTrue();
        try (Jedis jedis = second.jedis()) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
    }
}
