package io.r8limiter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.ManualTime;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The failure cases of /shared/cases tagged api-memory, with the values they give, on a fake clock. */
class MemoryCasesTest {

    private final ManualTime time = new ManualTime();
    private final MemoryBackend backend =
            MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();

    private RateLimiter limiter(Policy... policies) {
        return RateLimiter.builder().backend(backend).policies(policies).build();
    }

    private static Policy policy(String name, long capacity, long refill, long periodMs) {
        return Policy.of(name, Limit.of(capacity, refill, Duration.ofMillis(periodMs)));
    }

    private static final BucketKey U1 = BucketKey.of("u1", "r1");

    // C01: concurrent decisions must never read the same state before one writes it back.
    @Test
    void concurrentConsumers_onFrozenClock_admitExactlyCapacity() throws Exception {
        RateLimiter limiter = limiter(policy("p", 10, 1, 60_000));

        List<Decision> decisions = hammer(limiter, 64, 100, 1, BucketKey.of("c01", "run1"));

        List<Decision> allowed = decisions.stream().filter(Decision::allowed).toList();
        assertThat(allowed).hasSize(10);
        assertThat(allowed)
                .extracting(Decision::remaining)
                .containsExactlyInAnyOrder(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        assertThat(decisions.stream().filter(Decision::denied)).allSatisfy(d -> {
            assertThat(d.remaining()).isZero();
            assertThat(d.limit()).isEqualTo(10);
            assertThat(d.retryAfterMillis()).isEqualTo(60_000);
        });
    }

    // C01 run 2: a cost of 3 admits three times, leaving 1 token that no one can take.
    @Test
    void concurrentConsumersOfThree_admitThreeTimes() throws Exception {
        RateLimiter limiter = limiter(policy("p", 10, 1, 60_000));

        List<Decision> decisions = hammer(limiter, 64, 100, 3, BucketKey.of("c01", "run2"));

        List<Decision> allowed = decisions.stream().filter(Decision::allowed).toList();
        assertThat(allowed).extracting(Decision::remaining).containsExactlyInAnyOrder(7L, 4L, 1L);
        assertThat(decisions.stream().filter(Decision::denied)).allSatisfy(d -> {
            assertThat(d.remaining()).isEqualTo(1);
            assertThat(d.retryAfterMillis()).isEqualTo(120_000);
        });
    }

    private static List<Decision> hammer(RateLimiter limiter, int threads, int calls, long cost, BucketKey key)
            throws Exception {
        ConcurrentLinkedQueue<Decision> out = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < calls; i++) {
                        out.add(limiter.tryConsume("p", key, cost));
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(out).hasSize(threads * calls);
        return new ArrayList<>(out);
    }

    // C02 A: with stacked limits each one moves by exactly the cost, and a denial moves none.
    @Test
    void stackedLimits_debitEachOnce_andDenialTakesNothing() {
        Policy p = Policy.builder("p")
                .limit(20, 20, Duration.ofMillis(60_000))
                .limit(200, 200, Duration.ofMillis(600_000))
                .limit(1_200, 1_200, Duration.ofMillis(3_600_000))
                .limit(5_000, 5_000, Duration.ofMillis(86_400_000))
                .build();
        RateLimiter limiter = limiter(p);

        List<Decision> d = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            d.add(limiter.tryConsume("p", U1));
        }

        assertThat(d.subList(0, 20)).allMatch(Decision::allowed);
        assertThat(d.get(0))
                .extracting(Decision::remaining, Decision::limit, Decision::resetMillis)
                .containsExactly(19L, 20L, 3000L);
        assertThat(d.get(19))
                .extracting(Decision::remaining, Decision::resetMillis)
                .containsExactly(0L, 60_000L);
        assertThat(d.get(20))
                .extracting(Decision::allowed, Decision::remaining, Decision::retryAfterMillis)
                .containsExactly(false, 0L, 3000L);
        assertThat(limiter.peek("p", U1).limits())
                .extracting(LimitStatus::remaining)
                .containsExactly(0L, 180L, 1_180L, 4_980L);
    }

    // C02 B: all or nothing across limits.
    @Test
    void twoLimits_allOrNothing() {
        Policy p = Policy.builder("p")
                .limit(5, 5, Duration.ofMillis(60_000))
                .limit(10, 10, Duration.ofMillis(3_600_000))
                .build();
        RateLimiter limiter = limiter(p);

        Decision first = limiter.tryConsume("p", U1, 3);
        Decision second = limiter.tryConsume("p", U1, 3);
        List<Long> afterSecond = remaining(limiter.peek("p", U1));
        Decision third = limiter.tryConsume("p", U1, 2);

        assertThat(first)
                .extracting(Decision::allowed, Decision::remaining, Decision::limit)
                .containsExactly(true, 2L, 5L);
        assertThat(second)
                .extracting(Decision::allowed, Decision::retryAfterMillis)
                .containsExactly(false, 12_000L);
        assertThat(afterSecond).containsExactly(2L, 7L);
        assertThat(third).extracting(Decision::allowed, Decision::remaining).containsExactly(true, 0L);
        assertThat(remaining(limiter.peek("p", U1))).containsExactly(0L, 5L);
    }

    private static List<Long> remaining(Decision d) {
        return d.limits().stream().map(LimitStatus::remaining).toList();
    }

    // C03: remaining is reported after the debit and never goes below zero.
    @Test
    void remaining_isAfterDebit_andNeverNegative() {
        RateLimiter limiter = limiter(policy("p", 3, 3, 60_000));

        List<Decision> d = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            d.add(limiter.tryConsume("p", U1));
        }

        assertThat(d).extracting(Decision::allowed).containsExactly(true, true, true, false, false);
        assertThat(d).extracting(Decision::remaining).containsExactly(2L, 1L, 0L, 0L, 0L);
        assertThat(d).extracting(Decision::limit).containsOnly(3L);
        assertThat(d.subList(0, 3)).extracting(Decision::resetMillis).containsExactly(20_000L, 40_000L, 60_000L);
        assertThat(d).extracting(Decision::retryAfterMillis).containsExactly(0L, 0L, 0L, 20_000L, 20_000L);
    }

    @Test
    void denialOfTwo_reportsTheWholeTokenReallyLeft() {
        RateLimiter limiter = limiter(policy("p", 3, 3, 60_000));

        Decision first = limiter.tryConsume("p", U1, 2);
        Decision second = limiter.tryConsume("p", U1, 2);

        assertThat(first)
                .extracting(Decision::allowed, Decision::remaining, Decision::resetMillis)
                .containsExactly(true, 1L, 40_000L);
        assertThat(second)
                .extracting(Decision::allowed, Decision::remaining, Decision::retryAfterMillis)
                .containsExactly(false, 1L, 20_000L);
    }

    // C04: the wait hint is rounded up, never 0 or negative, and honest.
    @Test
    void retryAfter_isRoundedUp_andHonest() {
        RateLimiter limiter = limiter(policy("p", 1, 1, 1_500));

        Decision t0 = limiter.tryConsume("p", U1);
        time.setMillis(50);
        Decision denied = limiter.tryConsume("p", U1);
        time.setMillis(2_050);
        Decision later = limiter.tryConsume("p", U1);

        assertThat(t0)
                .extracting(Decision::allowed, Decision::remaining, Decision::resetMillis, Decision::retryAfterMillis)
                .containsExactly(true, 0L, 1_500L, 0L);
        assertThat(denied)
                .extracting(Decision::allowed, Decision::retryAfterMillis, Decision::resetMillis)
                .containsExactly(false, 1_450L, 1_450L);
        assertThat(later.allowed()).isTrue();
    }

    @Test
    void retryAfter_nearTheRefillInstant_isOneMillisecond() {
        RateLimiter limiter = limiter(policy("p", 1, 1, 1_500));

        limiter.tryConsume("p", U1);
        time.setMillis(1_200);
        Decision at1200 = limiter.tryConsume("p", U1);
        time.setMillis(1_499);
        Decision at1499 = limiter.tryConsume("p", U1);

        assertThat(at1200.retryAfterMillis()).isEqualTo(300);
        assertThat(at1499.retryAfterMillis()).isEqualTo(1);
    }

    @Test
    void retryAfter_ofFractionalRefill_roundsUp() {
        RateLimiter limiter = limiter(policy("p", 3, 3, 1_000));
        limiter.tryConsume("p", U1, 3);

        Decision one = limiter.tryConsume("p", U1, 1);
        Decision two = limiter.tryConsume("p", U1, 2);
        time.setMillis(334);
        Decision later = limiter.tryConsume("p", U1, 1);

        assertThat(one)
                .extracting(Decision::retryAfterMillis, Decision::resetMillis)
                .containsExactly(334L, 1_000L);
        assertThat(two.retryAfterMillis()).isEqualTo(667);
        assertThat(later.allowed()).isTrue();
    }

    @Test
    void clockGoingBack_countsAsNoTimeElapsed() {
        RateLimiter limiter = limiter(policy("p", 1, 1, 1_500));
        limiter.tryConsume("p", U1);
        time.setMillis(50);
        limiter.tryConsume("p", U1);

        time.setMillis(-4_950);
        Decision d = limiter.tryConsume("p", U1);

        assertThat(d.allowed()).isFalse();
        assertThat(d.resetMillis()).isBetween(0L, 1_500L);
        assertThat(d.retryAfterMillis()).isBetween(1L, 1_500L);
    }

    // C05: a cost above the smallest capacity is a client error and changes nothing.
    @Test
    void costAboveCapacity_isRejected_andChangesNothing() {
        RateLimiter limiter = limiter(
                policy("p", 3, 3, 2_000),
                policy("big", 5, 5, 1_000),
                Policy.builder("two")
                        .limit(3, 3, Duration.ofMillis(2_000))
                        .limit(100, 100, Duration.ofHours(1))
                        .build());

        assertThatThrownBy(() -> limiter.tryConsume("p", U1, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cost 4")
                .hasMessageContaining("capacity 3");
        assertThatThrownBy(() -> limiter.tryConsume("big", U1, 5000))
                .hasMessageContaining("cost 5000")
                .hasMessageContaining("capacity 5");
        assertThatThrownBy(() -> limiter.tryConsume("two", U1, 4))
                .hasMessageContaining("cost 4")
                .hasMessageContaining("capacity 3");

        assertThat(limiter.tryConsume("p", U1, 1).remaining()).isEqualTo(2);
        assertThat(limiter.tryConsume("big", U1, 5).remaining()).isZero();
        assertThat(limiter.tryConsume("p", BucketKey.of("fresh"), 3))
                .extracting(Decision::allowed, Decision::remaining)
                .containsExactly(true, 0L);
    }

    // C06: a cost of zero or below never mints tokens.
    @Test
    void nonPositiveCost_isRejected_andMintsNothing() {
        RateLimiter limiter = limiter(policy("p", 5, 5, 60_000));
        for (int i = 0; i < 5; i++) {
            limiter.tryConsume("p", U1);
        }

        for (long cost : new long[] {-3, 0, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> limiter.tryConsume("p", U1, cost))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cost must be positive but was " + cost);
        }

        assertThat(limiter.tryConsume("p", U1))
                .extracting(Decision::allowed, Decision::remaining, Decision::retryAfterMillis)
                .containsExactly(false, 0L, 12_000L);
        assertThat(limiter.peek("p", U1).remaining()).isZero();
    }

    // C08: large capacities and slow refills are counted exactly.
    @Test
    void dailyQuotaOfThreeBillion_isExact() {
        RateLimiter limiter = limiter(policy("daily", 3_000_000_000L, 3_000_000_000L, 86_400_000));

        Decision d = limiter.tryConsume("daily", U1);

        assertThat(d)
                .extracting(Decision::allowed, Decision::remaining, Decision::limit, Decision::resetMillis)
                .containsExactly(true, 2_999_999_999L, 3_000_000_000L, 1L);
    }

    @Test
    void onePerHour_refillsOnTheHour() {
        RateLimiter limiter = limiter(policy("p", 1, 1, 3_600_000));

        Decision t0 = limiter.tryConsume("p", U1);
        time.setMillis(1_000);
        Decision t1 = limiter.tryConsume("p", U1);
        time.setMillis(3_599_000);
        Decision t2 = limiter.tryConsume("p", U1);
        time.setMillis(3_600_000);
        Decision t3 = limiter.tryConsume("p", U1);

        assertThat(t0)
                .extracting(Decision::allowed, Decision::remaining, Decision::resetMillis)
                .containsExactly(true, 0L, 3_600_000L);
        assertThat(t1)
                .extracting(Decision::allowed, Decision::retryAfterMillis, Decision::resetMillis)
                .containsExactly(false, 3_599_000L, 3_599_000L);
        assertThat(t2).extracting(Decision::allowed, Decision::retryAfterMillis).containsExactly(false, 1_000L);
        assertThat(t3.allowed()).isTrue();
    }

    @Test
    void thousandPerMinute_onFrozenClock_allowsExactly999More() {
        RateLimiter limiter = limiter(policy("p", 1_000, 1_000, 60_000));

        Decision first = limiter.tryConsume("p", U1);
        int allowed = 0;
        for (int i = 0; i < 1_000; i++) {
            allowed += limiter.tryConsume("p", U1).allowed() ? 1 : 0;
        }

        assertThat(first.remaining()).isEqualTo(999);
        assertThat(allowed).isEqualTo(999);
    }

    @Test
    void sixThousandPerSecond_neverReportsAboveCapacity() {
        RateLimiter limiter = limiter(policy("p", 6_000, 6_000, 1_000));

        Decision d = limiter.tryConsume("p", U1);
        time.advanceMillis(5_000);

        assertThat(d).extracting(Decision::remaining, Decision::limit).containsExactly(5_999L, 6_000L);
        assertThat(limiter.peek("p", U1).remaining()).isEqualTo(6_000);
    }

    @Test
    void quotaOfTenToTheTwelvePerThirtyDays_isSupported() {
        RateLimiter limiter = limiter(policy("p", 1_000_000_000_000L, 1_000_000_000_000L, 2_592_000_000L));

        Decision d = limiter.tryConsume("p", U1, 999_999_999_999L);
        time.advanceMillis(2_592_000_000L);

        assertThat(d.remaining()).isEqualTo(1);
        assertThat(limiter.peek("p", U1).remaining()).isEqualTo(1_000_000_000_000L);
    }

    // C11: full buckets are dropped, and dropping them changes no answer.
    @Test
    void fullBuckets_areDropped_withoutChangingAnswers() {
        MemoryBackend small =
                MemoryBackend.builder().time(time).sweepExecutor(Runnable::run).build();
        Policy p = policy("p", 10, 10, 1_000);
        for (int i = 0; i < 1_000_000; i++) {
            small.consume(p, BucketKey.of(Integer.toString(i)), 1);
        }
        time.advanceMillis(5_000);

        small.sweep();
        Decision old = small.consume(p, BucketKey.of("17"), 1);

        assertThat(small.size()).isLessThanOrEqualTo(10_000);
        assertThat(small.peek(p, BucketKey.of("42")).remaining()).isEqualTo(10);
        assertThat(old.remaining()).isEqualTo(9);
    }

    // With refill, concurrency must neither lose nor invent tokens: every token refilled between the first and the
    // last debit is either admitted or still in the bucket after the last debit, within one token.
    @Test
    void sixteenThreads_withRefill_admitCapacityPlusRefillWithinOneToken() throws Exception {
        ThreadLocal<Long> reading = new ThreadLocal<>();
        TimeSource clock = () -> {
            long now = System.nanoTime();
            reading.set(now);
            return now;
        };
        MemoryBackend real = MemoryBackend.builder().time(clock).build();
        Policy policy = policy("p", 100, 100, 1_000);
        AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        long[] last = {Long.MIN_VALUE, 0};
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (System.nanoTime() < end) {
                        Decision d = real.consume(policy, U1, 1);
                        if (d.allowed()) {
                            admitted.incrementAndGet();
                            first.accumulateAndGet(reading.get(), Math::min);
                            noteLast(last, reading.get(), d.remaining());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // one token per 10 ms
        double refilled = (last[0] - first.get()) / 10_000_000.0;
        assertThat(refilled).isGreaterThan(50);
        assertThat((double) (admitted.get() + last[1])).isCloseTo(100 + refilled, within(1.0));
    }

    private static synchronized void noteLast(long[] last, long reading, long remaining) {
        if (reading > last[0]) {
            last[0] = reading;
            last[1] = remaining;
        }
    }

    // Known gap, documented on MemoryBackend: the sweep judges fullness by the rate a bucket was written under, so
    // after a refill slowdown an untouched bucket is dropped (refilled) early, as a Redis key ends on its old TTL.
    @Test
    void sweep_afterARefillSlowdown_dropsABucketFullOnlyAtTheOldRate() {
        Policy fast = policy("p", 5, 5, 1_000);
        Policy slow = policy("p", 5, 5, 60_000);
        MemoryBackend swept =
                MemoryBackend.builder().time(time).sweepExecutor(task -> {}).build();
        MemoryBackend unswept =
                MemoryBackend.builder().time(time).sweepExecutor(task -> {}).build();
        swept.consume(fast, U1, 5);
        unswept.consume(fast, U1, 5);
        time.advanceMillis(1_500);

        swept.sweep();

        assertThat(unswept.peek(slow, U1).remaining()).isZero();
        assertThat(swept.peek(slow, U1).remaining()).isEqualTo(5);
    }

    // C11 run 2: at the cap, held buckets stay exact and new keys are denied, as documented on MemoryBackend.
    @Test
    void atKeyCap_liveKeysNeverExceedCap_andNewKeysAreDenied() {
        MemoryBackend capped = MemoryBackend.builder()
                .time(time)
                .maxKeys(100_000)
                .sweepExecutor(Runnable::run)
                .build();
        Policy p = policy("p", 10, 10, 1_000);
        int deniedNew = 0;

        for (int i = 0; i < 200_000; i++) {
            Decision d = capped.consume(p, BucketKey.of(Integer.toString(i)), 1);
            deniedNew += d.allowed() ? 0 : 1;
            if (i % 1_000 == 0) {
                assertThat(capped.size()).isLessThanOrEqualTo(100_000);
            }
        }

        assertThat(capped.size()).isEqualTo(100_000);
        assertThat(deniedNew).isEqualTo(100_000);
        assertThat(capped.consume(p, BucketKey.of("5"), 1).remaining()).isEqualTo(8);
        time.advanceMillis(1_000);
        assertThat(capped.consume(p, BucketKey.of("new-after-refill"), 1).allowed())
                .isTrue();
    }
}
