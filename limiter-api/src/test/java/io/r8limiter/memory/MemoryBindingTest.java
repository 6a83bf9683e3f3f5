package io.r8limiter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.ManualTime;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend.BucketBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A binding holds its bucket's slot between decisions; the engine drops and replaces slots on its own (sweeps of full
 * buckets, resets, policy changes), and a held slot must never outlive its place in the map as a second bucket.
 */
class MemoryBindingTest {

    private static final BucketKey KEY = BucketKey.of("u1");

    private final ManualTime time = new ManualTime();
    private final MemoryBackend backend =
            MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();
    private final Policy policy = Policy.of("p", Limit.of(5, 5, Duration.ofSeconds(1)));

    // A binding that kept deciding on a slot the sweep had dropped would count on a bucket nobody else sees: the
    // direct call below would find a fresh bucket and report 4 tokens instead of 3.
    @Test
    void aSweptSlot_isLeftForTheOneMappedNext() {
        BucketBinding bound = backend.bind("p", KEY);
        bound.consume(policy, 1);
        time.advanceMillis(1_000);

        backend.sweep();
        Decision throughBinding = bound.consume(policy, 1);
        Decision direct = backend.consume(policy, KEY, 1);

        assertThat(throughBinding.remaining()).isEqualTo(4);
        assertThat(direct.remaining()).isEqualTo(3);
        assertThat(backend.size()).isEqualTo(1);
    }

    @Test
    void aSlotReplacedByAPolicyChange_isLeftForItsSuccessor() {
        BucketBinding bound = backend.bind("p", KEY);
        bound.consume(policy, 3);
        Policy bigger = Policy.of("p", Limit.of(10, 10, Duration.ofSeconds(1)));

        Decision afterChange = backend.consume(bigger, KEY, 1);
        Decision throughBinding = bound.consume(bigger, 1);

        assertThat(afterChange.remaining()).isEqualTo(6);
        assertThat(throughBinding.remaining()).isEqualTo(5);
        assertThat(backend.size()).isEqualTo(1);
    }

    @Test
    void atTheKeyCap_aBindingOfANewKeyIsDeniedLikeADirectCall() {
        MemoryBackend capped = MemoryBackend.builder()
                .time(time)
                .maxKeys(1)
                .sweepExecutor(Runnable::run)
                .build();
        capped.consume(policy, BucketKey.of("held"), 1);
        BucketBinding bound = capped.bind("p", KEY);

        Decision refused = bound.consume(policy, 1);
        time.advanceMillis(2_000);
        Decision afterTheHeldOneFilled = bound.consume(policy, 1);

        assertThat(refused.allowed()).isFalse();
        assertThat(afterTheHeldOneFilled.allowed()).isTrue();
        assertThat(capped.size()).isEqualTo(1);
    }

    // Sweeps and resets racing with one shared binding and direct calls: each bucket, however often it is dropped
    // and made anew, must be a single bucket at every moment, so with the clock frozen the only way to admit more
    // than five is a reset, and every reset adds exactly one fresh bucket.
    @Test
    void sharedBinding_racingSweepsAndResets_admitsFivePerBucketLife() throws Exception {
        BucketBinding bound = backend.bind("p", KEY);
        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger resets = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<Future<?>> deciders = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                boolean direct = t % 2 == 0;
                deciders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 2_000; i++) {
                        Decision d = direct ? backend.consume(policy, KEY, 1) : bound.consume(policy, 1);
                        allowed.addAndGet(d.allowed() ? 1 : 0);
                    }
                    return null;
                }));
            }
            Future<?> janitor = pool.submit(() -> {
                start.await();
                while (running.get()) {
                    backend.sweep();
                    if (resets.get() < 50) {
                        // counted before the reset, so that the count never trails tokens it made available
                        resets.incrementAndGet();
                        backend.reset(policy, KEY);
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> f : deciders) {
                f.get(30, TimeUnit.SECONDS);
            }
            running.set(false);
            janitor.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(allowed.get()).isLessThanOrEqualTo(5 * (resets.get() + 1));
        assertThat(backend.size()).isLessThanOrEqualTo(1);
    }
}
