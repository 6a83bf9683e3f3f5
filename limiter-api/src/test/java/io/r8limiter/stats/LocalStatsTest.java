package io.r8limiter.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.memory.MemoryBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalStatsTest {

    private static final Policy P1 = Policy.of("p1", Limit.perPeriod(5, Duration.ofMinutes(1)));
    private static final Policy P2 = Policy.of("p2", Limit.perPeriod(5, Duration.ofMinutes(1)));
    private static final Decision ALLOWED = new Decision(true, 4, 12_000, 0, 5, false, List.of());
    private static final Decision DENIED = new Decision(false, 0, 60_000, 12_000, 5, false, List.of());

    private final AtomicLong nanos = new AtomicLong(123_456_789L);
    private final LocalStats stats = LocalStats.builder().timeSource(nanos::get).build();

    @Test
    void totals_countEachPolicyAndOutcome_withDegradedAsASubset() {
        record(P1, "u1", ALLOWED, 3);
        record(P1, "u1", DENIED, 2);
        record(P2, "u2", ALLOWED.asDegraded(), 4);
        record(P2, "u2", DENIED.asDegraded(), 1);

        Totals totals = stats.totals();

        assertThat(totals.of("p1")).isEqualTo(new Counts(3, 2, 0));
        assertThat(totals.of("p2")).isEqualTo(new Counts(4, 1, 5));
        assertThat(totals.overall()).isEqualTo(new Counts(7, 3, 5));
        assertThat(totals.allowed()).isEqualTo(7);
        assertThat(totals.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(totals.byPolicy()).containsOnlyKeys("p1", "p2");
    }

    @Test
    void window_keepsFifteenMinutesAndForgetsOlderSlices() {
        record(P1, "old", DENIED, 2);
        advance(Duration.ofMinutes(10));
        record(P1, "new", DENIED, 1);

        advance(Duration.ofMinutes(5).plusSeconds(30));
        Totals after15 = stats.totals();
        advance(Duration.ofMinutes(1));
        Totals after16 = stats.totals();
        advance(Duration.ofMinutes(15));
        Totals after31 = stats.totals();

        assertThat(after15.denied()).isEqualTo(3);
        assertThat(after16.denied()).isEqualTo(1);
        assertThat(stats.topOffenders(10)).isEmpty();
        assertThat(after31.byPolicy()).isEmpty();
    }

    @Test
    void slots_reusedAfterAFullRing_startFromZero() {
        record(P1, "u1", DENIED, 4);

        advance(Duration.ofMinutes(16));
        record(P1, "u1", DENIED, 1);

        assertThat(stats.totals().denied()).isEqualTo(1);
        assertThat(stats.topOffenders(5)).containsExactly(new Offender("p1", BucketKey.of("u1"), 1, 0));
    }

    @Test
    void topOffenders_areOrderedByDenialsAndCutToTheLimit() {
        record(P1, "u1", DENIED, 2);
        record(P1, "u2", DENIED, 7);
        record(P2, "u2", DENIED, 3);
        advance(Duration.ofMinutes(3));
        record(P1, "u1", DENIED, 4);
        record(P1, "u3", ALLOWED, 50);
        record(P2, "a:b", DENIED, 3);

        List<Offender> top = stats.topOffenders(3);

        assertThat(top)
                .containsExactly(
                        new Offender("p1", BucketKey.of("u2"), 7, 0),
                        new Offender("p1", BucketKey.of("u1"), 6, 0),
                        new Offender("p2", BucketKey.of("a:b"), 3, 0));
        assertThat(stats.topOffenders(0)).isEmpty();
        assertThat(stats.topOffenders(100)).hasSize(4);
    }

    // C18 step 3, stats part: the offender list asked for 50 entries holds at most 50, ordered by denials, whether
    // 100 or 10,000 keys were denied, so an admin answer never grows with the number of offenders. Past the
    // capacity (1,000 keys per slice) counts may overestimate, by at most their stated error.
    @Test
    void topOffenders_holdAtMostTheLimit_whateverTheNumberOfOffenders() {
        Map<String, Long> truth = new HashMap<>();
        for (int offenders : new int[] {100, 10_000}) {
            for (int i = 0; i < offenders; i++) {
                String user = "u" + offenders + "-" + i;
                record(P1, user, DENIED, 1 + i % 7);
                truth.put(user, 1L + i % 7);
            }

            List<Offender> top = stats.topOffenders(50);

            assertThat(top).hasSize(50).isSortedAccordingTo(Offender.ORDER);
            for (Offender o : top) {
                assertThat(truth.get(o.key().parts().get(0))).isBetween(o.denied() - o.error(), o.denied());
            }
            if (offenders == 100) {
                assertThat(top)
                        .allMatch(Offender::exact)
                        .first()
                        .extracting(Offender::denied)
                        .isEqualTo(7L);
            }
        }
    }

    @Test
    void topOffenders_withNegativeLimit_namesTheValue() {
        assertThatThrownBy(() -> stats.topOffenders(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must not be negative but was -1");
    }

    @Test
    void listener_onALimiter_seesRealOutcomesIncludingShadowDenials() {
        MemoryBackend backend = new MemoryBackend(nanos::get);
        Policy shadow = Policy.builder("shadow")
                .limit(1, 1, Duration.ofMinutes(1))
                .shadow(true)
                .build();
        try (RateLimiter limiter = RateLimiter.builder()
                .backend(backend)
                .policies(P1, shadow)
                .listener(stats)
                .build()) {
            for (int i = 0; i < 8; i++) {
                limiter.tryConsume("p1", BucketKey.of("u1", "r1"));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(limiter.tryConsume("shadow", BucketKey.of("u2")).allowed())
                        .isTrue();
            }
        }

        assertThat(stats.totals().of("p1")).isEqualTo(new Counts(5, 3, 0));
        assertThat(stats.totals().of("shadow")).isEqualTo(new Counts(1, 2, 0));
        assertThat(stats.topOffenders(5))
                .containsExactly(
                        new Offender("p1", BucketKey.of("u1", "r1"), 3, 0),
                        new Offender("shadow", BucketKey.of("u2"), 2, 0));
    }

    @Test
    void memory_withManyDistinctOffenders_staysWithinTheCapacityAndKeepsTheHeavyHitters() {
        LocalStats small =
                LocalStats.builder().capacity(100).timeSource(nanos::get).build();
        Random random = new Random(42);
        Map<String, Long> truth = new HashMap<>();
        int denials = 200_000;
        for (int i = 0; i < denials; i++) {
            String user = i % 10 == 0 ? "heavy" + random.nextInt(5) : "u" + i;
            small.onDecision(P1, BucketKey.of(user), DENIED, 0);
            truth.merge(user, 1L, Long::sum);
            if (i % 20_000 == 19_999) {
                advance(Duration.ofSeconds(30));
            }
        }

        List<Offender> top = small.topOffenders(Integer.MAX_VALUE);

        assertThat(top).hasSizeLessThanOrEqualTo(16 * 100);
        assertThat(top.subList(0, 5)).extracting(o -> o.key().parts().get(0)).allMatch(u -> u.startsWith("heavy"));
        for (Offender o : top) {
            long actual = truth.get(o.key().parts().get(0));
            assertThat(actual).isBetween(o.denied() - o.error(), o.denied());
            assertThat(o.error()).isLessThanOrEqualTo(denials / 100);
        }
        assertThat(small.totals().denied()).isEqualTo(denials);
    }

    @Test
    void counts_fromConcurrentThreads_addUpExactly() throws InterruptedException {
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    stats.onDecision(P1, BucketKey.of("u" + (i % 50)), i % 2 == 0 ? DENIED : ALLOWED, 0);
                }
            });
            worker.start();
            workers.add(worker);
        }

        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        assertThat(stats.totals().of("p1")).isEqualTo(new Counts(40_000, 40_000, 0));
        List<Offender> top = stats.topOffenders(100);
        assertThat(top).hasSize(25).allMatch(o -> o.denied() == 1_600 && o.exact());
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> LocalStats.builder().capacity(0))
                .hasMessage("capacity must be between 1 and 1000000 but was 0");
        assertThatThrownBy(() -> LocalStats.builder().window(Duration.ZERO))
                .hasMessage("window must be positive but was PT0S");
        assertThatThrownBy(() -> LocalStats.builder()
                        .window(Duration.ofMinutes(1))
                        .slice(Duration.ofMinutes(2))
                        .build())
                .hasMessage("slice must not exceed the window PT1M but was PT2M");
        assertThatThrownBy(() -> LocalStats.builder()
                        .window(Duration.ofDays(1))
                        .slice(Duration.ofMillis(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("window must span at most 10000 slices but was PT24H");
    }

    private void record(Policy policy, String user, Decision decision, int times) {
        for (int i = 0; i < times; i++) {
            stats.onDecision(policy, BucketKey.of(user), decision, 0);
        }
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
