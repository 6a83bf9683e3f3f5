package io.r8limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.memory.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The front door's own behaviour: policy lookup, runtime replacement, shadow mode, acquire, listeners. */
class RateLimiterTest {

    private static final BucketKey KEY = BucketKey.of("u1");

    private final ManualTime time = new ManualTime();
    private final MemoryBackend backend =
            MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();

    @Test
    void unknownPolicy_isRejected_namingIt() {
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(Policy.of("p", Limit.perPeriod(1, Duration.ofSeconds(1))))
                .build();

        assertThatThrownBy(() -> limiter.tryConsume("nope", KEY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy 'nope' is not defined");
    }

    @Test
    void replacingAPolicy_keepsTheDeficit_andNeverGoesNegative() {
        LocalPolicyStore store = LocalPolicyStore.of(Policy.of("p", Limit.of(10, 10, Duration.ofMinutes(1))));
        RateLimiter limiter =
                RateLimiter.builder().backend(backend).policies(store).build();
        for (int i = 0; i < 7; i++) {
            limiter.tryConsume("p", KEY);
        }

        store.putOverride(Policy.of("p", Limit.of(20, 20, Duration.ofMinutes(1))));
        Decision bigger = limiter.peek("p", KEY);
        store.putOverride(Policy.of("p", Limit.of(5, 5, Duration.ofMinutes(1))));
        Decision smaller = limiter.peek("p", KEY);

        assertThat(bigger).extracting(Decision::remaining, Decision::limit).containsExactly(13L, 20L);
        assertThat(smaller).extracting(Decision::remaining, Decision::limit).containsExactly(0L, 5L);
        assertThat(limiter.tryConsume("p", KEY).allowed()).isFalse();
    }

    // C16 run 3 on memory: stored state does not pin the rate it was written under.
    @Test
    void fasterRefillAfterAChange_appliesToExistingBuckets() {
        LocalPolicyStore store = LocalPolicyStore.of(Policy.of("p", Limit.of(5, 5, Duration.ofMinutes(1))));
        RateLimiter limiter =
                RateLimiter.builder().backend(backend).policies(store).build();
        for (int i = 0; i < 5; i++) {
            limiter.tryConsume("p", KEY);
        }

        store.putOverride(Policy.of("p", Limit.of(5, 5, Duration.ofSeconds(1))));
        time.advanceMillis(1_200);
        List<Decision> d = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            d.add(limiter.tryConsume("p", KEY));
        }

        assertThat(d.subList(0, 5)).allMatch(Decision::allowed);
        assertThat(d.get(5)).extracting(Decision::allowed).isEqualTo(false);
        assertThat(d.get(5).retryAfterMillis()).isLessThanOrEqualTo(200);
    }

    @Test
    void shadowPolicy_neverDenies_butListenersSeeTheDenial() {
        List<Decision> heard = new ArrayList<>();
        Policy shadow = Policy.builder("s")
                .limit(1, 1, Duration.ofMinutes(1))
                .shadow(true)
                .build();
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(shadow)
                .listener((policy, key, decision, nanos) -> heard.add(decision))
                .build();

        Decision first = limiter.tryConsume("s", KEY);
        Decision second = limiter.tryConsume("s", KEY);

        assertThat(first.allowed()).isTrue();
        assertThat(second)
                .extracting(Decision::allowed, Decision::retryAfterMillis)
                .containsExactly(true, 0L);
        assertThat(heard).extracting(Decision::allowed).containsExactly(true, false);
    }

    @Test
    void failingListener_neverBreaksADecision() {
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(Policy.of("p", Limit.perPeriod(1, Duration.ofSeconds(1))))
                .listener((policy, key, decision, nanos) -> {
                    throw new IllegalStateException("boom");
                })
                .build();

        assertThat(limiter.tryConsume("p", KEY).allowed()).isTrue();
    }

    @Test
    void acquire_waitsForTheTokens_withinTheTimeout() throws InterruptedException {
        RateLimiter limiter = RateLimiter.builder()
                .policies(Policy.of("p", Limit.of(1, 1, Duration.ofMillis(50))))
                .build();
        limiter.tryConsume("p", KEY);

        Decision waited = limiter.acquire("p", KEY, 1, Duration.ofSeconds(2));
        limiter.tryConsume("p", KEY);
        Decision impatient = limiter.acquire("p", KEY, 1, Duration.ofMillis(1));

        assertThat(waited.allowed()).isTrue();
        assertThat(impatient.allowed()).isFalse();
    }

    @Test
    void reset_makesTheBucketFull() {
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(Policy.of("p", Limit.perPeriod(2, Duration.ofMinutes(1))))
                .build();
        limiter.tryConsume("p", KEY, 2);

        limiter.reset("p", KEY);

        assertThat(limiter.tryConsume("p", KEY).remaining()).isEqualTo(1);
    }

    @Test
    void asyncConsume_givesTheSameDecision() {
        RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(Policy.of("p", Limit.perPeriod(2, Duration.ofMinutes(1))))
                .build();

        Decision d = limiter.tryConsumeAsync("p", KEY, 1).toCompletableFuture().join();

        assertThat(d.remaining()).isEqualTo(1);
        assertThat(limiter.tryConsumeAsync("p", KEY, 0).toCompletableFuture()).isCompletedExceptionally();
    }
}
