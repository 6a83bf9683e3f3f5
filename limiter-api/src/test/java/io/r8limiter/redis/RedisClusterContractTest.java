package io.r8limiter.redis;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.testkit.RedisClusterProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.JedisCluster;

/** The backend contract on a 3-master Redis Cluster, in real time, two instances with their own clients. */
class RedisClusterContractTest extends BackendContract {

    private final List<JedisCluster> clients = new ArrayList<>();
    private RedisBackend backend;
    private RedisBackend other;

    @BeforeEach
    void connect() {
        SharedRedis.cluster().flushAll();
        backend = RedisBackend.builder().jedis(client()).keyPrefix("contract").build();
        other = RedisBackend.builder().jedis(client()).keyPrefix("contract").build();
    }

    @AfterEach
    void disconnect() {
        clients.forEach(JedisCluster::close);
    }

    private JedisCluster client() {
        RedisClusterProcess cluster = SharedRedis.cluster();
        JedisCluster client = RedisClients.cluster(cluster.hostAndPorts(), Duration.ofSeconds(2));
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
