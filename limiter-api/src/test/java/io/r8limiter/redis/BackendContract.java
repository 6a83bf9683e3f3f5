package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.LimitStatus;
import io.r8limiter.Policy;
import io.r8limiter.RateLimitBackend;
import io.r8limiter.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The limiter semantics every backend shares, run against memory, Redis standalone and Redis Cluster. A subclass
 * supplies the backend, a second instance on the same store (another application instance) and a way to let time
 * pass; values computed inside one call are exact on every backend, and waits measured across calls allow the
 * subclass's real-time slack.
 */
abstract class BackendContract {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** The backend under test; every call within one test sees the same buckets. */
    abstract RateLimitBackend backend();

    /** Another backend instance on the same store, with its own client; for memory, the same instance. */
    abstract RateLimitBackend otherInstance();

    /** Lets {@code millis} of time pass. */
    abstract void pass(long millis);

    /** How far below its exact value a wait measured after earlier calls may be, from real time passing. */
    abstract long slackMillis();

    private RateLimiter limiter(Policy... policies) {
        return RateLimiter.builder().backend(backend()).policies(policies).build();
    }

    private void assertWait(long actual, long exact) {
        assertThat(actual).isBetween(exact - slackMillis(), exact);
    }

    /** A retry time measured during a concurrent run: exact on a frozen clock, within the last 5 s in real time. */
    private void assertRetryDuringTheRun(long actual, long exact) {
        if (slackMillis() == 0) {
            assertThat(actual).isEqualTo(exact);
        } else {
            assertThat(actual).isGreaterThan(exact - 5_000).isLessThanOrEqualTo(exact);
        }
    }

    @Test
    void consume_onFreshKey_reportsCapacityMinusCost() {
        Policy policy = Policy.of("p", Limit.perPeriod(10, MINUTE));

        Decision d = backend().consume(policy, BucketKey.of("u1"), 1);

        assertThat(d.allowed()).isTrue();
        assertThat(d.degraded()).isFalse();
        assertThat(d.remaining()).isEqualTo(9);
        assertThat(d.limit()).isEqualTo(10);
        assertThat(d.resetMillis()).isEqualTo(6000);
        assertThat(d.retryAfterMillis()).isZero();
    }

    @Test
    void peek_takesNothing_andReset_refillsFully() {
        Policy policy = Policy.of("p", Limit.perPeriod(3, MINUTE));
        BucketKey key = BucketKey.of("u1");
        backend().consume(policy, key, 2);

        Decision peeked = backend().peek(policy, key);
        Decision again = backend().peek(policy, key);
        backend().reset(policy, key);
        Decision afterReset = backend().peek(policy, key);

        assertThat(peeked.remaining()).isEqualTo(1);
        assertThat(again.remaining()).isEqualTo(1);
        assertThat(afterReset.remaining()).isEqualTo(3);
        assertThat(afterReset.resetMillis()).isZero();
    }

    @Test
    void stackedLimits_areEachDebitedOncePerAllowance_C02A() {
        Policy policy = Policy.builder("stacked")
                .limit(20, 20, MINUTE)
                .limit(200, 200, Duration.ofMillis(600_000))
                .limit(1200, 1200, HOUR)
                .limit(5000, 5000, Duration.ofDays(1))
                .build();
        BucketKey key = BucketKey.of("u1");
        List<Decision> decisions = new ArrayList<>();

        for (int i = 0; i < 21; i++) {
            decisions.add(backend().consume(policy, key, 1));
        }
        Decision peek = backend().peek(policy, key);

        assertThat(decisions.subList(0, 20)).allMatch(Decision::allowed);
        assertThat(decisions.get(0).remaining()).isEqualTo(19);
        assertThat(decisions.get(0).limit()).isEqualTo(20);
        assertThat(decisions.get(0).resetMillis()).isEqualTo(3000);
        assertThat(decisions.get(19).remaining()).isZero();
        assertThat(decisions.get(20).allowed()).isFalse();
        assertWait(decisions.get(20).retryAfterMillis(), 3000);
        assertThat(peek.limits()).extracting(LimitStatus::remaining).containsExactly(0L, 180L, 1180L, 4980L);
    }

    @Test
    void denial_debitsNoLimit_C02B() {
        Policy policy =
                Policy.builder("ab").limit(5, 5, MINUTE).limit(10, 10, HOUR).build();
        BucketKey key = BucketKey.of("u1");

        Decision first = backend().consume(policy, key, 3);
        Decision second = backend().consume(policy, key, 3);
        Decision afterSecond = backend().peek(policy, key);
        Decision third = backend().consume(policy, key, 2);
        Decision last = backend().peek(policy, key);

        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.limit()).isEqualTo(5);
        assertThat(second.allowed()).isFalse();
        assertWait(second.retryAfterMillis(), 12_000);
        assertThat(afterSecond.limits().get(1).remaining()).isEqualTo(7);
        assertThat(third.allowed()).isTrue();
        assertThat(third.remaining()).isZero();
        assertThat(last.limits()).extracting(LimitStatus::remaining).containsExactly(0L, 5L);
    }

    @Test
    void costAboveCapacity_isRejected_andChangesNothing_C05() {
        Policy three = Policy.of("three", Limit.of(3, 3, Duration.ofMillis(2000)));
        Policy five = Policy.of("five", Limit.of(5, 5, Duration.ofMillis(1000)));
        Policy two = Policy.builder("two")
                .limit(3, 3, Duration.ofMillis(2000))
                .limit(100, 100, HOUR)
                .build();
        RateLimiter limiter = limiter(three, five, two);
        BucketKey key = BucketKey.of("u1");

        assertThatThrownBy(() -> limiter.tryConsume("three", key, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("cost", "4", "3");
        assertThatThrownBy(() -> limiter.tryConsume("five", key, 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("cost", "5000", "5");
        assertThatThrownBy(() -> limiter.tryConsume("two", key, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("cost", "4", "3");

        assertThat(limiter.tryConsume("three", key, 1).remaining()).isEqualTo(2);
        assertThat(limiter.tryConsume("five", key, 5).remaining()).isZero();
        assertThat(limiter.tryConsume("two", BucketKey.of("u2"), 3).remaining()).isZero();
    }

    @Test
    void zeroOrNegativeCost_isRejected_andMintsNothing_C06() {
        Policy policy = Policy.of("p", Limit.perPeriod(5, MINUTE));
        RateLimiter limiter = limiter(policy);
        BucketKey key = BucketKey.of("u1");
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryConsume("p", key, 1).allowed()).isTrue();
        }

        for (long cost : new long[] {-3, 0, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> limiter.tryConsume("p", key, cost))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cost must be positive but was " + cost);
        }
        Decision after = limiter.tryConsume("p", key, 1);

        assertThat(after.allowed()).isFalse();
        assertThat(after.remaining()).isZero();
        assertWait(after.retryAfterMillis(), 12_000);
        assertThat(limiter.peek("p", key).remaining()).isZero();
    }

    @Test
    void largeQuota_isCountedExactly_C08() {
        Policy daily = Policy.of("daily", Limit.of(3_000_000_000L, 3_000_000_000L, Duration.ofDays(1)));
        Policy hourly = Policy.of("hourly", Limit.perPeriod(1, HOUR));
        Policy fast = Policy.of("fast", Limit.of(6000, 6000, Duration.ofMillis(1000)));

        Decision quota = backend().consume(daily, BucketKey.of("u1"), 1);
        Decision firstHourly = backend().consume(hourly, BucketKey.of("u1"), 1);
        Decision secondHourly = backend().consume(hourly, BucketKey.of("u1"), 1);
        Decision fastDecision = backend().consume(fast, BucketKey.of("u1"), 1);
        Decision fastPeek = backend().peek(fast, BucketKey.of("u1"));

        assertThat(quota.allowed()).isTrue();
        assertThat(quota.remaining()).isEqualTo(2_999_999_999L);
        assertThat(quota.limit()).isEqualTo(3_000_000_000L);
        assertThat(quota.resetMillis()).isEqualTo(1);
        assertThat(firstHourly.remaining()).isZero();
        assertThat(firstHourly.resetMillis()).isEqualTo(3_600_000);
        assertThat(secondHourly.allowed()).isFalse();
        assertThat(secondHourly.retryAfterMillis()).isBetween(3_599_000L - slackMillis(), 3_600_000L);
        assertThat(fastDecision.remaining()).isEqualTo(5999);
        assertThat(fastDecision.limit()).isEqualTo(6000);
        assertThat(fastPeek.remaining()).isBetween(5999L, 6000L);
    }

    @Test
    void thousandRequests_onThousandPerMinute_admitCapacityPlusRefill_C08() {
        Policy policy = Policy.of("k", Limit.perPeriod(1000, MINUTE));
        BucketKey key = BucketKey.of("u1");
        long start = System.nanoTime();

        Decision first = backend().consume(policy, key, 1);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            allowed += backend().consume(policy, key, 1).allowed() ? 1 : 0;
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(first.remaining()).isEqualTo(999);
        long refilled = slackMillis() == 0 ? 0 : elapsedMillis / 60 + 1;
        assertThat(allowed).isBetween(999, (int) (999 + refilled));
    }

    @Test
    void distinctKeys_neverShareABucket_C09() {
        Policy standard = Policy.of("default", Limit.perPeriod(3, MINUTE));
        Policy r2 = Policy.of("r2", Limit.perPeriod(10, MINUTE));
        String[][] pairs = {
            {"a:b", "c", "a", "b:c"},
            {"tess_live_0001", "r1", "tess_live_0002", "r1"},
            {"x".repeat(255) + "1", "r1", "x".repeat(255) + "2", "r1"},
            {"a\\", ":c", "a", "\\:c"},
            {"{a}", "b", "a", "{b}"},
        };

        for (String[] pair : pairs) {
            BucketKey first = BucketKey.of(pair[0], pair[1]);
            for (int i = 0; i < 3; i++) {
                backend().consume(standard, first, 1);
            }
            Decision second = backend().consume(standard, BucketKey.of(pair[2], pair[3]), 1);
            assertThat(second.remaining()).as("pair %s", List.of(pair)).isEqualTo(2);
        }
        for (int i = 0; i < 3; i++) {
            backend().consume(standard, BucketKey.of("u1", "r1"), 1);
        }
        assertThat(backend().consume(r2, BucketKey.of("u1", "r2"), 1).remaining())
                .isEqualTo(9);
    }

    @Test
    void hostileKeyContent_isItsOwnLiteralBucket_C10() {
        Policy policy = Policy.of("p", Limit.perPeriod(3, MINUTE));
        List<String> values = List.of(
                "a".repeat(256),
                "😀".repeat(64),
                "\u0000\r\nX",
                "u\n{\"level\":\"ERROR\"}",
                "😀é",
                "😀e\u0301",
                "u1",
                "{u1}",
                "x{u1}y",
                "*",
                "?",
                "[a]");

        for (String value : values) {
            for (BucketKey key : List.of(BucketKey.of(value, "r1"), BucketKey.of("u1", value))) {
                List<Long> remaining = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Decision d = backend().consume(policy, key, 1);
                    assertThat(d.allowed()).as("%s", key).isTrue();
                    remaining.add(d.remaining());
                }
                assertThat(remaining).as("%s", key).containsExactly(2L, 1L, 0L);
                assertThat(backend().consume(policy, key, 1).allowed()).isFalse();
            }
        }
        backend().reset(policy, BucketKey.of("*", "r1"));

        assertThat(backend().consume(policy, BucketKey.of("*", "r1"), 1).remaining())
                .isEqualTo(2);
        assertThat(backend().consume(policy, BucketKey.of("u1", "r1"), 1).allowed())
                .isFalse();
    }

    @Test
    void concurrentInstances_admitExactlyCapacity_C01() throws Exception {
        Policy policy = Policy.of("p", Limit.of(10, 1, MINUTE));

        List<Decision> decisions = hammer(policy, BucketKey.of("u1", "r1"), 1);

        List<Decision> allowed = decisions.stream().filter(Decision::allowed).toList();
        assertThat(allowed).hasSize(10);
        assertThat(allowed)
                .extracting(Decision::remaining)
                .containsExactlyInAnyOrder(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        for (Decision denied : decisions.stream().filter(Decision::denied).toList()) {
            assertThat(denied.remaining()).isZero();
            assertThat(denied.limit()).isEqualTo(10);
            assertThat(denied.degraded()).isFalse();
            assertRetryDuringTheRun(denied.retryAfterMillis(), 60_000);
        }
    }

    @Test
    void concurrentInstances_withCostThree_admitExactlyThree_C01() throws Exception {
        Policy policy = Policy.of("p", Limit.of(10, 1, MINUTE));

        List<Decision> decisions = hammer(policy, BucketKey.of("u1", "r3"), 3);

        List<Decision> allowed = decisions.stream().filter(Decision::allowed).toList();
        assertThat(allowed).extracting(Decision::remaining).containsExactlyInAnyOrder(7L, 4L, 1L);
        for (Decision denied : decisions.stream().filter(Decision::denied).toList()) {
            assertThat(denied.remaining()).isEqualTo(1);
            assertRetryDuringTheRun(denied.retryAfterMillis(), 120_000);
        }
    }

    @Test
    void changedPolicy_appliesToAStoredBucket_C16() {
        Policy slow = Policy.of("p", Limit.perPeriod(5, MINUTE));
        Policy fast = Policy.of("p", Limit.of(5, 5, Duration.ofMillis(1000)));
        BucketKey key = BucketKey.of("u3");
        for (int i = 0; i < 5; i++) {
            assertThat(backend().consume(slow, key, 1).allowed()).isTrue();
        }

        pass(1200);
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            decisions.add(otherInstance().consume(fast, key, 1));
        }

        assertThat(decisions.subList(0, 5)).allMatch(Decision::allowed);
        assertThat(decisions.get(5).allowed()).isFalse();
        assertThat(decisions.get(5).retryAfterMillis()).isBetween(1L, 200L);
        assertThat(decisions).allMatch(d -> d.limit() == 5);
    }

    @Test
    void droppingALimit_keepsTheOthersDeficit() {
        BucketKey key = BucketKey.of("u1");
        drainFastTwice(key);
        Policy hourOnly = Policy.of("p", Limit.perPeriod(100, HOUR));

        Decision peek = otherInstance().peek(hourOnly, key);

        // matched by position, the hour limit took the fast limit's smaller deficit and showed 95: a free burst
        assertThat(peek.remaining()).isEqualTo(90);
        assertThat(peek.limit()).isEqualTo(100);
    }

    @Test
    void reorderingLimits_keepsEachDeficit() {
        BucketKey key = BucketKey.of("u1");
        drainFastTwice(key);
        Policy reordered = Policy.builder("p")
                .limit(100, 100, HOUR)
                .limit(5, 5, Duration.ofMillis(250))
                .build();

        Decision peek = otherInstance().peek(reordered, key);

        // matched by position, each limit took the other's deficit: the hour limit showed 95 instead of 90
        assertThat(peek.limits().get(0).remaining()).isEqualTo(90);
        assertThat(peek.limits().get(1).remaining()).isBetween(0L, slackMillis() == 0 ? 0L : 1L);
    }

    @Test
    void changedCapacity_keepsTheDeficit_andAnAddedLimit_startsFull() {
        BucketKey key = BucketKey.of("u1");
        drainFastTwice(key);
        Policy changed = Policy.builder("p")
                .limit(1000, 1000, Duration.ofDays(1))
                .limit(200, 100, HOUR)
                .limit(5, 5, Duration.ofMillis(250))
                .build();

        Decision peek = otherInstance().peek(changed, key);

        assertThat(peek.limits().get(0).remaining()).isEqualTo(1000);
        assertThat(peek.limits().get(1).remaining()).isEqualTo(190);
        assertThat(peek.limits().get(2).remaining()).isBetween(0L, slackMillis() == 0 ? 0L : 1L);
    }

    @Test
    void binding_sharesTheBucketWithDirectCalls_onBothInstances() {
        Policy policy = Policy.of("p", Limit.of(10, 1, MINUTE));
        BucketKey key = BucketKey.of("u7");
        RateLimitBackend.BucketBinding bound = backend().bind("p", key);
        RateLimitBackend.BucketBinding boundElsewhere = otherInstance().bind("p", key);

        Decision first = bound.consume(policy, 4);
        Decision direct = otherInstance().consume(policy, key, 3);
        Decision second = boundElsewhere.consume(policy, 2);
        Decision refused = bound.consume(policy, 2);

        assertThat(first.remaining()).isEqualTo(6);
        assertThat(direct.remaining()).isEqualTo(3);
        assertThat(second.remaining()).isEqualTo(1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isEqualTo(1);
        assertThat(backend().consume(policy, BucketKey.of("u8"), 1).remaining())
                .as("another key's bucket")
                .isEqualTo(9);
    }

    @Test
    void concurrentBindingsAndDirectCalls_admitExactlyCapacity_C01() throws Exception {
        Policy policy = Policy.of("p", Limit.of(10, 1, MINUTE));
        BucketKey key = BucketKey.of("u1", "bound");
        List<RateLimitBackend.BucketBinding> bindings =
                List.of(backend().bind("p", key), otherInstance().bind("p", key));

        List<Decision> decisions = hammer(16, t -> switch (t % 4) {
            case 0, 1 -> bindings.get(t % 2).consume(policy, 1);
            case 2 -> backend().consume(policy, key, 1);
            default ->
                bindings.get(1).consumeAsync(policy, 1).toCompletableFuture().join();
        });

        assertThat(decisions.stream().filter(Decision::allowed))
                .extracting(Decision::remaining)
                .containsExactlyInAnyOrder(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void binding_followsAChangedPolicy_C16() {
        Policy slow = Policy.of("p", Limit.perPeriod(5, MINUTE));
        Policy fast = Policy.of("p", Limit.of(5, 5, Duration.ofMillis(1000)));
        RateLimitBackend.BucketBinding bound = backend().bind("p", BucketKey.of("u4"));
        for (int i = 0; i < 5; i++) {
            assertThat(bound.consume(slow, 1).allowed()).isTrue();
        }

        pass(1200);
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            decisions.add(bound.consume(fast, 1));
        }

        assertThat(decisions.subList(0, 5)).allMatch(Decision::allowed);
        assertThat(decisions.get(5).allowed()).isFalse();
        assertThat(decisions.get(5).retryAfterMillis()).isBetween(1L, 200L);
    }

    @Test
    void reset_reachesABinding() {
        Policy policy = Policy.of("p", Limit.of(2, 1, HOUR));
        BucketKey key = BucketKey.of("u5");
        RateLimitBackend.BucketBinding bound = backend().bind("p", key);
        bound.consume(policy, 2);

        otherInstance().reset(policy, key);
        Decision after = bound.consume(policy, 1);

        assertThat(after.allowed()).isTrue();
        assertThat(after.remaining()).isEqualTo(1);
    }

    /**
     * Under {@code [5 per 250 ms, 100 per hour]}, takes 5 tokens twice with the fast limit refilled in between: the
     * fast limit is then empty and the hour limit lacks 10.
     */
    private void drainFastTwice(BucketKey key) {
        Policy policy = Policy.builder("p")
                .limit(5, 5, Duration.ofMillis(250))
                .limit(100, 100, HOUR)
                .build();
        assertThat(backend().consume(policy, key, 5).allowed()).isTrue();
        pass(400);
        Decision second = backend().consume(policy, key, 5);
        assertThat(second.allowed()).isTrue();
        assertThat(second.limits()).extracting(LimitStatus::remaining).containsExactly(0L, 90L);
    }

    /** 16 threads over two instances, 50 calls each, released together. */
    private List<Decision> hammer(Policy policy, BucketKey key, long cost) throws Exception {
        List<RateLimitBackend> instances = List.of(backend(), otherInstance());
        return hammer(16, t -> instances.get(t % 2).consume(policy, key, cost));
    }

    /** {@code threads} threads, 50 decisions each by {@code decide} given the thread's number, released together. */
    private List<Decision> hammer(int threads, IntFunction<Decision> decide) throws Exception {
        List<Decision> decisions = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        decisions.add(decide.apply(thread));
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
        assertThat(decisions).hasSize(50 * threads).noneMatch(Decision::degraded);
        return decisions;
    }
}
