package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.testkit.RedisSentinelGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisSentineled;

/**
 * The backend contract through Sentinel (a primary, a replica, sentinels), in real time, and a failover: the new
 * primary has no cached script, which the decision recovers from like any NOSCRIPT.
 */
class RedisSentinelContractTest extends BackendContract {

    private static RedisSentinelGroup group;
    private final List<JedisSentineled> clients = new ArrayList<>();
    private RedisBackend backend;
    private RedisBackend other;

    @BeforeAll
    static void start() {
        group = RedisSentinelGroup.start();
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    @BeforeEach
    void connect() {
        backend = RedisBackend.builder().jedis(client()).keyPrefix("s").build();
        other = RedisBackend.builder().jedis(client()).keyPrefix("s").build();
        clients.get(0).flushAll();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(JedisSentineled::close);
    }

    private JedisSentineled client() {
        JedisSentineled client =
                RedisClients.sentinel(group.masterName(), group.sentinelHostAndPorts(), Duration.ofSeconds(2));
        clients.add(client);
        return client;
    }

    @Override
    RateLimitBackend backend() {
        return backend;
    }

    @Override
    RateLimitBackend otherInstance() {
        return other;
    }

    @Override
    void pass(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    long slackMillis() {
        return 100;
    }

    @Test
    void failover_isFollowed_andTheScriptIsLoadedOnTheNewPrimary() {
        Policy policy = Policy.of("p", Limit.perPeriod(10, Duration.ofMinutes(1)));
        BucketKey key = BucketKey.of("u1");
        assertThat(backend.consume(policy, key, 1).remaining()).isEqualTo(9);

        group.failover();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !backend.consume(policy, key, 1).degraded());
    }
}
