package io.r8limiter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Timing an in-memory decision costs as much as the decision, so the latency timer samples those; a remote
 * backend's round trip is timed every time. Every decision is counted either way.
 */
class LatencySamplingTest {

    private static final Policy POLICY = Policy.of("p", Limit.perPeriod(1_000_000, Duration.ofMinutes(1)));
    private static final int DECISIONS = 64_000;

    @Test
    void inMemory_timesAboutOneDecisionIn64_andCountsEvery() {
        MemoryBackend memory = MemoryBackend.builder().build();
        SimpleMeterRegistry registry = decide(memory, memory);

        // 1,000 expected; the bounds are more than six standard deviations away
        assertThat(latencyCount(registry)).isBetween(800L, 1_200L);
        assertThat(allowed(registry)).isEqualTo(DECISIONS);
    }

    @Test
    void remoteBackend_timesEveryDecision() {
        MemoryBackend memory = MemoryBackend.builder().build();
        SimpleMeterRegistry registry = decide(new Remote(memory), memory);

        assertThat(latencyCount(registry)).isEqualTo(DECISIONS);
        assertThat(allowed(registry)).isEqualTo(DECISIONS);
    }

    private static SimpleMeterRegistry decide(RateLimitBackend backend, MemoryBackend memory) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RateLimiterMetrics metrics = new RateLimiterMetrics(memory, null);
        metrics.bindTo(registry);
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(POLICY)
                .listener(metrics)
                .build();
        for (int i = 0; i < DECISIONS; i++) {
            limiter.tryConsume("p", BucketKey.of("u" + (i % 100)));
        }
        return registry;
    }

    private static long latencyCount(SimpleMeterRegistry registry) {
        return registry.get(RateLimiterMetrics.LATENCY).timer().count();
    }

    private static double allowed(SimpleMeterRegistry registry) {
        return registry.get(RateLimiterMetrics.DECISIONS)
                .tag("outcome", "allowed")
                .counter()
                .count();
    }

    /** A backend the limiter does not know to be in memory, as a Redis backend is not. */
    private record Remote(MemoryBackend memory) implements RateLimitBackend {
        @Override
        public Decision consume(Policy policy, BucketKey key, long cost) {
            return memory.consume(policy, key, cost);
        }

        @Override
        public Decision peek(Policy policy, BucketKey key) {
            return memory.peek(policy, key);
        }

        @Override
        public void reset(Policy policy, BucketKey key) {
            memory.reset(policy, key);
        }

        @Override
        public String name() {
            return "remote";
        }
    }
}
