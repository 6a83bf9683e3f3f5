package io.r8limiter.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/** Finds Boot's Redis connection details, if its data-redis auto-configuration defined them. */
final class DataRedisDetailsLookup {

    private DataRedisDetailsLookup() {}

    static @Nullable RedisTarget find(BeanFactory beans, SpringDataRedisSettings settings) {
        DataRedisConnectionDetails details =
                beans.getBeanProvider(DataRedisConnectionDetails.class).getIfUnique();
        return details == null ? null : DataRedisTargets.from(details, settings);
    }
}
