package io.r8limiter.spring.testapp;

import io.r8limiter.testkit.SharedRedis;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Points the test app at the JVM's shared Redis server. Used through {@code @ContextConfiguration}, so that every
 * test class on the Redis profile shares one application context.
 */
public final class SharedRedisInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("spring.data.redis.url=redis://127.0.0.1:"
                        + SharedRedis.standalone().port())
                .applyTo(context);
    }
}
