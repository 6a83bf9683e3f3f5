package io.r8limiter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r8limiter.BucketKey;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** C18 on the core: counts by policy and outcome, and no tag ever carries a caller's key. */
class RateLimiterMetricsTest {

    @Test
    void decisions_areCountedByPolicyAndOutcome_withoutKeyTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MemoryBackend backend = MemoryBackend.builder().build();
        RateLimiterMetrics metrics = new RateLimiterMetrics(backend, () -> "closed");
        metrics.bindTo(registry);
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(
                        Policy.of("a", Limit.perPeriod(1, Duration.ofMinutes(1))),
                        Policy.of("b", Limit.perPeriod(1, Duration.ofMinutes(1))))
                .listener(metrics)
                .build();

        for (int i = 0; i < 10_000; i++) {
            BucketKey key = BucketKey.of("user-" + i);
            limiter.tryConsume(i % 2 == 0 ? "a" : "b", key);
            limiter.tryConsume(i % 2 == 0 ? "a" : "b", key);
        }

        assertThat(registry.get(RateLimiterMetrics.DECISIONS)
                        .tag("policy", "a")
                        .tag("outcome", "allowed")
                        .tag("degraded", "false")
                        .counter()
                        .count())
                .isEqualTo(5_000);
        assertThat(registry.get(RateLimiterMetrics.DECISIONS)
                        .tag("policy", "b")
                        .tag("outcome", "denied")
                        .tag("degraded", "false")
                        .counter()
                        .count())
                .isEqualTo(5_000);
        assertThat(registry.getMeters()).hasSizeLessThanOrEqualTo(20);
        assertThat(registry.getMeters())
                .flatExtracting(m -> m.getId().getTags())
                .noneMatch(tag -> tag.getValue().startsWith("user-"));
        assertThat(registry.get(RateLimiterMetrics.CIRCUIT)
                        .tag("state", "closed")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get(RateLimiterMetrics.MEMORY_KEYS).gauge().value()).isPositive();
        assertThat(registry.getMeters()).extracting(Meter::getId).isNotEmpty();
    }
}
