package io.r8limiter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.ManualTime;
import io.r8limiter.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The allocation-free single-limit path of the memory engine: same figures, same values, same exactness. */
class SingleLimitPathTest {

    private static final Limit PER_MINUTE = Limit.of(10, 10, Duration.ofMinutes(1));
    private static final BucketKey KEY = BucketKey.of("u1");

    private final ManualTime time = new ManualTime();
    private final MemoryBackend backend =
            MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();

    @Test
    void singleLimitDecision_listsItsLimitWithTheHeadlineFigures() {
        Policy p = Policy.of("p", PER_MINUTE);

        Decision d = backend.consume(p, KEY, 3);

        assertThat(d.limits()).containsExactly(new LimitStatus(PER_MINUTE, 7, 18_000, 0));
        assertThat(d).isEqualTo(new Decision(true, 7, 18_000, 0, 10, false, d.limits()));
        assertThat(d.hashCode()).isEqualTo(new Decision(true, 7, 18_000, 0, 10, false, d.limits()).hashCode());
        assertThat(d.toString()).contains("limits=[LimitStatus[limit=Limit[capacity=10");
    }

    // A shadow policy turns a denial into an allowance; the limit's own wait must survive, as with several limits.
    @Test
    void denialTurnedIntoAllowance_keepsTheLimitsWait() {
        Policy p = Policy.of("p", PER_MINUTE);
        backend.consume(p, KEY, 10);

        Decision allowed = backend.consume(p, KEY, 1).asAllowed();

        assertThat(allowed.retryAfterMillis()).isZero();
        assertThat(allowed.limits()).containsExactly(new LimitStatus(PER_MINUTE, 0, 60_000, 6_000));
    }

    @Test
    void policyGainingALimit_keepsTheDeficitOfTheFirst() {
        backend.consume(Policy.of("p", PER_MINUTE), KEY, 4);
        Policy two = Policy.of("p", PER_MINUTE, Limit.of(100, 100, Duration.ofHours(1)));

        Decision d = backend.consume(two, KEY, 1);
        Decision back = backend.consume(Policy.of("p", PER_MINUTE), KEY, 1);

        assertThat(d.limits()).extracting(LimitStatus::remaining).containsExactly(5L, 99L);
        assertThat(back.remaining()).isEqualTo(4);
    }

    // C01 on the version-guarded slot: racing writers and sweeps must never hand out a token twice.
    @Test
    void racingAllowancesAndSweeps_grantExactlyCapacity() throws Exception {
        Policy p = Policy.of("p", Limit.of(2_000, 1, Duration.ofDays(1)));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Long> remaining = new ConcurrentLinkedQueue<>();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            work.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 1_000; i++) {
                    Decision d = backend.consume(p, KEY, 1);
                    if (d.allowed()) {
                        remaining.add(d.remaining());
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 200; i++) {
                backend.sweep();
            }
            return null;
        }));

        start.countDown();
        for (Future<?> f : work) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(remaining).hasSize(2_000).doesNotHaveDuplicates();
        assertThat(backend.consume(p, KEY, 1).allowed()).isFalse();
    }
}
