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
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The single-limit path of the memory engine, one number per bucket moved by compare-and-set: same figures, same
 * values, same exactness, including when a policy change or the end of that form's time range replaces the slot.
 */
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

    // C01 on the one-number slot: racing writers and sweeps must never hand out a token twice.
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

    // C16 under contention: threads alternating between two policies with different limits make the engine replace
    // the slot again and again; a replacement racing a debit could lose it (granting more than capacity).
    @Test
    void racingPolicyChanges_grantExactlyCapacity() throws Exception {
        List<Policy> policies = List.of(
                Policy.of("p", Limit.of(2_000, 1, Duration.ofDays(1))),
                Policy.of("p", Limit.of(2_000, 2, Duration.ofDays(2))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Long> remaining = new ConcurrentLinkedQueue<>();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t;
            work.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 1_000; i++) {
                    Decision d = backend.consume(policies.get((first + i) % policies.size()), KEY, 1);
                    if (d.allowed()) {
                        remaining.add(d.remaining());
                    }
                }
                return null;
            }));
        }

        start.countDown();
        for (Future<?> f : work) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(remaining).hasSize(2_000).doesNotHaveDuplicates();
        assertThat(backend.consume(policies.get(0), KEY, 1).allowed()).isFalse();
    }

    // The one-number form holds time * T, so it serves a bounded time range; past it the bucket must move to the
    // snapshot form with its deficit, and answers before, across and after the bound must match the exact model.
    @Test
    void crossingTheEndOfTheOneNumberRange_keepsExactAnswers() {
        Limit fine = Limit.of(5_000, 1_021, Duration.ofMillis(1));
        Policy p = Policy.of("p", fine);
        long bound = (1L << 61) / 1_021;
        ReferenceBucket reference = new ReferenceBucket(p);
        SplittableRandom random = new SplittableRandom(7);
        long now = bound - 3_000;
        time.advanceMicros(now);

        for (int step = 0; step < 300; step++) {
            long advance = random.nextInt(3) == 0 ? 0 : random.nextLong(1, 40);
            time.advanceMicros(advance);
            now += advance;
            long cost = 1 + random.nextLong(60);

            Decision actual = backend.consume(p, KEY, cost);
            ReferenceBucket.Expected expected = reference.decide(now, cost, true);

            String where = "step " + step + " at " + (now - bound) + " us from the bound";
            assertThat(actual.allowed()).as(where).isEqualTo(expected.allowed());
            assertThat(actual.remaining())
                    .as(where)
                    .isEqualTo(expected.limits().get(0).remaining());
            assertThat(actual.resetMillis())
                    .as(where)
                    .isEqualTo(expected.limits().get(0).resetMillis());
            assertThat(actual.retryAfterMillis())
                    .as(where)
                    .isEqualTo(expected.limits().get(0).retryAfterMillis());
        }
        assertThat(now).isGreaterThan(bound);
    }

    // A caller whose clock reading predates the last debit must not be granted the refill between the two readings
    // twice; it sees at least the deficit the last debit left.
    @Test
    void staleClockReading_neverSeesLessDeficitThanTheLastDebitLeft() {
        Policy p = Policy.of("p", PER_MINUTE);
        time.advanceMillis(10_000);
        backend.consume(p, KEY, 10);

        time.setMillis(4_000);
        Decision stale = backend.consume(p, KEY, 1);

        assertThat(stale.allowed()).isFalse();
        assertThat(stale.remaining()).isZero();
        assertThat(stale.retryAfterMillis()).isBetween(6_000L, 60_000L);
    }
}
