package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.RateLimiter;
import io.r8limiter.stats.Counts;
import io.r8limiter.stats.Offender;
import io.r8limiter.stats.Totals;
import io.r8limiter.testkit.RedisServerProcess;
import io.r8limiter.testkit.SharedRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

class RedisStatsTest {

    private static final Policy P = Policy.of("p", Limit.perPeriod(2, Duration.ofMinutes(1)));
    private static final Decision DENIED = new Decision(false, 0, 60_000, 30_000, 2, false, List.of());

    private final String prefix = "t-" + UUID.randomUUID();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void denials_spreadOverThreeInstances_addUpExactlyWhereverTheyAreRead() {
        Policy hourly = Policy.of("p", Limit.perPeriod(2, Duration.ofHours(1)));
        List<RedisStats> stats = new ArrayList<>();
        for (int instance = 0; instance < 3; instance++) {
            UnifiedJedis redis = client();
            RedisStats s = stats(RedisStats.builder(redis).keyPrefix(prefix));
            stats.add(s);
            RedisBackend backend =
                    RedisBackend.builder().jedis(redis).keyPrefix(prefix).build();
            RateLimiter limiter = closing(RateLimiter.builder()
                    .backend(backend)
                    .policies(hourly)
                    .listener(s)
                    .build());
            for (int user = 1; user <= 4; user++) {
                for (int i = 0; i < 2 + user + instance; i++) {
                    limiter.tryConsume("p", BucketKey.of("u" + user, "r1"));
                }
            }
        }

        stats.forEach(RedisStats::flush);

        for (RedisStats s : stats) {
            Totals totals = s.totals();
            assertThat(totals.of("p")).isEqualTo(new Counts(8, 58, 0));
            assertThat(totals.overall()).isEqualTo(new Counts(8, 58, 0));
            assertThat(s.topOffenders(3))
                    .containsExactly(
                            new Offender("p", BucketKey.of("u4", "r1"), 19, 0),
                            new Offender("p", BucketKey.of("u3", "r1"), 16, 0),
                            new Offender("p", BucketKey.of("u2", "r1"), 13, 0));
            assertThat(s.topOffenders(10))
                    .hasSize(4)
                    .last()
                    .extracting(Offender::denied)
                    .isEqualTo(10L);
        }
    }

    // C18 step 3, stats part: the offender list asked for 50 entries holds at most 50, ordered by denials, whether
    // 100 or 10,000 keys were denied, so an admin answer never grows with the number of offenders. Past the slice's
    // capacity (1,000) the counts are estimates whose stated error covers the truth.
    @Test
    void topOffenders_holdAtMostTheLimit_whateverTheNumberOfOffenders() {
        RedisStats stats = stats(RedisStats.builder(client()).keyPrefix(prefix));
        List<List<Offender>> answers = new ArrayList<>();
        for (int offenders : new int[] {100, 10_000}) {
            for (int i = 0; i < offenders; i++) {
                for (int n = 0; n <= i % 7; n++) {
                    stats.onDecision(P, BucketKey.of("u" + offenders + "-" + i, "r1"), DENIED, 0);
                }
            }
            answers.add(stats.topOffenders(50));
        }

        for (List<Offender> top : answers) {
            assertThat(top).hasSize(50).isSortedAccordingTo(Offender.ORDER);
        }
        assertThat(answers.get(0).get(0)).matches(o -> o.denied() == 7 && o.exact());
        assertThat(answers.get(1).get(0)).matches(o -> o.denied() - o.error() <= 7 && o.denied() >= 7);
    }

    @Test
    void statsKeys_allExpireWithinTheWindowPlusTwoSlices() {
        UnifiedJedis redis = client();
        RedisStats stats = stats(RedisStats.builder(redis).keyPrefix(prefix).capacity(1));
        stats.onDecision(P, BucketKey.of("u1"), new Decision(true, 1, 1, 0, 2, false, List.of()), 0);
        stats.onDecision(P, BucketKey.of("u1"), DENIED.asDegraded(), 0);
        stats.flush();
        stats.onDecision(P, BucketKey.of("u2"), DENIED, 0);

        stats.flush();
        stats.topOffenders(5);

        List<String> keys = scan(redis, prefix + ":*");
        assertThat(keys).hasSize(3);
        for (String key : keys) {
            assertThat(redis.pttl(key))
                    .as(key)
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofMinutes(17).toMillis());
        }
        assertThat(stats.totals().of("p")).isEqualTo(new Counts(1, 2, 1));
    }

    // Rotating user ids used to add one sorted-set member per offender and minute without bound, and a read summed
    // them all in one script: a slice now keeps at most its capacity, and the heavy hitters still come out on top.
    @Test
    void manyDistinctOffenders_keepEachSliceWithinItsCapacity_andTheHeavyHittersOnTop() {
        UnifiedJedis redis = client();
        MutableClock clock = new MutableClock();
        RedisStats stats = stats(RedisStats.builder(redis).keyPrefix(prefix).clock(clock));
        Map<String, Long> truth = new HashMap<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 1_000; i++) {
                deny(stats, "rotating-" + round + "-" + i, 1, truth);
            }
            for (int h = 0; h < 5; h++) {
                deny(stats, "heavy-" + h, 15 + 5 * h, truth);
            }
            stats.flush();
        }

        long slice = Math.floorDiv(clock.millis(), RedisStats.SLICE.toMillis());
        List<Offender> top = stats.topOffenders(5);

        assertThat(redis.zcard(stats.offendersKey(slice))).isEqualTo(RedisStats.DEFAULT_CAPACITY);
        assertThat(redis.hlen(stats.errorsKey(slice))).isLessThanOrEqualTo(RedisStats.DEFAULT_CAPACITY + 1);
        long bytes = redis.memoryUsage(stats.offendersKey(slice), 0) + redis.memoryUsage(stats.errorsKey(slice), 0);
        assertThat(bytes).as("bytes for 20,005 offenders").isLessThan(250_000);
        assertThat(stats.totals().denied()).isEqualTo(22_500);
        assertThat(top)
                .extracting(o -> o.key().parts().get(0))
                .containsExactly("heavy-4", "heavy-3", "heavy-2", "heavy-1", "heavy-0");
        for (Offender o : top) {
            assertThat(truth.get(o.key().parts().get(0))).isBetween(o.denied() - o.error(), o.denied());
            assertThat(o.error()).isLessThanOrEqualTo(22_500 / RedisStats.DEFAULT_CAPACITY);
        }
    }

    @Test
    void window_readsFifteenMinutesBackAndNoFurther() {
        MutableClock clock = new MutableClock();
        RedisStats stats = stats(RedisStats.builder(client()).keyPrefix(prefix).clock(clock));
        stats.onDecision(P, BucketKey.of("u1"), DENIED, 0);

        clock.advance(Duration.ofMinutes(15));
        Totals after15 = stats.totals();
        clock.advance(Duration.ofMinutes(1));
        Totals after16 = stats.totals();

        assertThat(after15.denied()).isEqualTo(1);
        assertThat(after16.denied()).isZero();
        assertThat(stats.topOffenders(5)).isEmpty();
    }

    @Test
    void hostileKeysAndPolicyNames_comeBackExactlyAsRecorded() {
        RedisStats stats = stats(RedisStats.builder(client()).keyPrefix(prefix));
        Policy odd = Policy.of("a:b|c\\{x}", Limit.perPeriod(1, Duration.ofMinutes(1)));
        List<BucketKey> keys = List.of(
                BucketKey.of("{u1}", "r:1"),
                BucketKey.of("a\\", ":b"),
                BucketKey.of("\uD800lone", "x"),
                BucketKey.of("日本語 😀", "*"));
        for (int i = 0; i < keys.size(); i++) {
            for (int n = 0; n <= i; n++) {
                stats.onDecision(odd, keys.get(i), DENIED, 0);
            }
        }

        List<Offender> top = stats.topOffenders(10);

        assertThat(top).extracting(Offender::key).containsExactly(keys.get(3), keys.get(2), keys.get(1), keys.get(0));
        assertThat(top).extracting(Offender::policy).containsOnly(odd.name());
        assertThat(stats.totals().byPolicy()).containsOnlyKeys(odd.name());
        assertThat(stats.totals().of(odd.name()).denied()).isEqualTo(10);
    }

    @Test
    void redisDown_recordingNeverThrowsAndCountsWaitUntilItIsBack() {
        try (RedisServerProcess server = RedisServerProcess.start()) {
            UnifiedJedis redis = closing(server.pooled(Duration.ofMillis(500)));
            RedisStats stats = stats(RedisStats.builder(redis).keyPrefix(prefix));
            server.kill();

            for (int i = 0; i < 5; i++) {
                stats.onDecision(P, BucketKey.of("u" + (i % 2)), DENIED, 0);
            }
            assertThatThrownBy(stats::flush).isInstanceOf(JedisException.class);
            server.restart();
            stats.flush();

            assertThat(stats.totals().denied()).isEqualTo(5);
            assertThat(stats.topOffenders(5)).extracting(Offender::denied).containsExactly(3L, 2L);
        }
    }

    // Denials of new offenders used to be dropped once maxPendingOffenders waited for a flush, so a heavy hitter
    // arriving late vanished: the instance's own summary now takes them in and states its error instead.
    @Test
    void pendingOffenders_pastTheirBound_areFoldedIn_andAHeavyHitterArrivingLateIsListed() {
        RedisStats stats = stats(RedisStats.builder(client())
                .keyPrefix(prefix)
                .maxPendingOffenders(10)
                .flushInterval(Duration.ofSeconds(1)));
        Map<String, Long> truth = new HashMap<>();

        for (int i = 0; i < 50; i++) {
            deny(stats, "u" + i, 1, truth);
            if (i >= 10 && i < 30) {
                deny(stats, "late", 1, truth);
            }
        }

        List<Offender> top = stats.topOffenders(100);
        assertThat(stats.totals().denied()).isEqualTo(70);
        assertThat(top.get(0).key()).isEqualTo(BucketKey.of("late"));
        assertThat(top.stream().mapToLong(Offender::denied).sum()).isGreaterThanOrEqualTo(70);
        for (Offender o : top) {
            assertThat(truth.get(o.key().parts().get(0))).isBetween(o.denied() - o.error(), o.denied());
        }
    }

    @Test
    void recording_afterClose_neverThrowsAndAnExplicitFlushStillWrites() {
        RedisStats stats = stats(RedisStats.builder(client()).keyPrefix(prefix).maxPendingOffenders(2));
        stats.close();

        for (int i = 0; i < 5; i++) {
            stats.onDecision(P, BucketKey.of("u" + i), DENIED, 0);
        }
        stats.flush();

        assertThat(stats.totals().denied()).isEqualTo(5);
    }

    @Test
    void topOffenders_withNegativeLimit_namesTheValue() {
        RedisStats stats = stats(RedisStats.builder(client()).keyPrefix(prefix));

        assertThatThrownBy(() -> stats.topOffenders(-3)).hasMessage("limit must not be negative but was -3");
        assertThat(stats.topOffenders(0)).isEmpty();
    }

    @Test
    void builder_rejectsBadValuesNamingThem() {
        RedisStats.Builder builder = RedisStats.builder(client());

        assertThatThrownBy(() -> builder.keyPrefix("a{b}"))
                .hasMessage("keyPrefix must not contain braces but was 'a{b}'");
        assertThatThrownBy(() -> builder.window(Duration.ofSeconds(30)))
                .hasMessage("window must be between 1m and 1d but was PT30S");
        assertThatThrownBy(() -> builder.flushInterval(Duration.ofSeconds(2)))
                .hasMessage("flushInterval must be between 1ms and 1s but was PT2S");
        assertThatThrownBy(() -> builder.capacity(10_001))
                .hasMessage("capacity must be between 1 and 10000 but was 10001");
    }

    private static void deny(RedisStats stats, String user, int times, Map<String, Long> truth) {
        for (int n = 0; n < times; n++) {
            stats.onDecision(P, BucketKey.of(user), DENIED, 0);
        }
        truth.merge(user, (long) times, Long::sum);
    }

    private UnifiedJedis client() {
        return closing(SharedRedis.standalone().pooled());
    }

    private RedisStats stats(RedisStats.Builder builder) {
        return closing(builder.build());
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    static List<String> scan(UnifiedJedis redis, String pattern) {
        List<String> keys = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page =
                    redis.scan(cursor, new ScanParams().match(pattern).count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** A wall clock that starts now and moves only when told. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
