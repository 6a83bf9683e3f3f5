package io.r8limiter.spring.mvc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.RateLimitBackend;
import io.r8limiter.redis.RedisBackend;
import io.r8limiter.spring.testapp.SharedRedisInitializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/** The interceptor tests on the Redis backend, in real time against the shared Redis server. */
@ActiveProfiles({"webapp", "redis"})
@ContextConfiguration(initializers = SharedRedisInitializer.class)
class RedisInterceptorWebTest extends AbstractInterceptorWebTest {

    @Autowired
    RateLimitBackend backend;

    @Test
    void decisionsAreMadeOnRedis() {
        assertThat(backend).isInstanceOf(RedisBackend.class);
    }
}
