package io.r8limiter.redis;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.JedisPooled;

/** The backend contract on one standalone Redis server, in real time, two instances with their own clients. */
class RedisStandaloneContractTest extends BackendContract {

    private final List<JedisPooled> clients = new ArrayList<>();
    private RedisBackend backend;
    private RedisBackend other;

    @BeforeEach
    void connect() {
        SharedRedis.flushAll();
        backend = RedisBackend.builder().jedis(client()).keyPrefix("contract").build();
        other = RedisBackend.builder().jedis(client()).keyPrefix("contract").build();
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
}
