package io.r8limiter.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r8limiter.BucketKey;
import io.r8limiter.RateLimiter;
import io.r8limiter.micrometer.RateLimiterMetrics;
import io.r8limiter.testkit.SharedRedis;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** C18: the library's meters stay few, and their tags come from a closed set, however many callers there are. */
class MetersCardinalityTest {

    private static final Set<String> CLOSED_SET = Set.of(
            "c18a", "c18b", "allowed", "denied", "true", "false", "memory", "redis", "closed", "open", "half_open");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RateLimiterRedisAutoConfiguration.class,
                    RateLimiterAutoConfiguration.class,
                    RateLimiterMetricsAutoConfiguration.class))
            .withPropertyValues(
                    "r8limiter.policies.c18a.limits[0].capacity=1",
                    "r8limiter.policies.c18a.limits[0].refill-period=1m",
                    "r8limiter.policies.c18b.limits[0].capacity=1",
                    "r8limiter.policies.c18b.limits[0].refill-period=1m");

    @Test
    void tenThousandCallers_inMemory_makeAtMostTwentyMeters() {
        runner.run(context -> assertBounded(context, 10_000));
    }

    @Test
    void manyCallers_onRedis_makeAtMostTwentyMeters() {
        runner.withPropertyValues(
                        "r8limiter.backend=redis",
                        "spring.data.redis.host=127.0.0.1",
                        "spring.data.redis.port=" + SharedRedis.standalone().port(),
                        "r8limiter.key-prefix=c18")
                .run(context -> assertBounded(context, 2_000));
    }

    private static void assertBounded(ApplicationContext context, int callers) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        context.getBean(RateLimiterMetrics.class).bindTo(registry);
        RateLimiter limiter = context.getBean(RateLimiter.class);

        for (int i = 0; i < callers; i++) {
            BucketKey key = BucketKey.of("query:user_id", "c18-user-" + i);
            for (int n = 0; n < 2; n++) {
                limiter.tryConsume("c18a", key);
                limiter.tryConsume("c18b", key);
            }
        }

        List<Meter> meters = registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("r8limiter"))
                .toList();
        Set<String> tagValues = meters.stream()
                .flatMap(m -> m.getId().getTags().stream())
                .map(Tag::getValue)
                .collect(Collectors.toSet());
        assertThat(meters).hasSizeBetween(1, 20);
        assertThat(tagValues).isSubsetOf(CLOSED_SET);
        assertThat(registry.get("r8limiter.decisions")
                        .tags("policy", "c18a", "outcome", "denied", "degraded", "false")
                        .counter()
                        .count())
                .isEqualTo(callers);
    }
}
