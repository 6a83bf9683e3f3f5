package io.r8limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.BucketKey;
import io.r8limiter.Decision;
import io.r8limiter.Limit;
import io.r8limiter.Policy;
import io.r8limiter.memory.MemoryBackend;
import io.r8limiter.testkit.SharedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.JedisPooled;

/**
 * Replays the same random trace (policies, policy changes, costs, peeks, time gaps) through the memory engine on a
 * fake clock and through the bucket script with the same clock as an argument: every decision must be identical.
 * Policy changes include the edits operators make: limits reordered, removed or added, a capacity or a rate changed.
 */
class ScriptDifferentialTest {

    private static final long SERVER_EPOCH_MICROS = 1_765_000_000_000_000L;
    private static final TestScripts SCRIPT = TestScripts.withClockArgument();
    private static JedisPooled jedis;

    @BeforeAll
    static void connect() {
        jedis = RedisClients.standalone(SharedRedis.standalone().hostAndPort(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void disconnect() {
        jedis.close();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void script_decidesExactlyAsTheMemoryEngine(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TestClock clock = new TestClock();
        // no sweeps: a sweep judges fullness at the old rate, so after a policy change it may drop a bucket that
        // the new rate has not refilled (as an old Redis expiry may); the trace compares the arithmetic only
        MemoryBackend memory = MemoryBackend.builder()
                .time(clock)
                .sweepIntervalMillis(1L << 40)
                .sweepExecutor(task -> {})
                .build();
        BucketKey key = BucketKey.of("seed", Long.toString(seed));
        String redisKey = "diff:" + seed;
        jedis.del(redisKey);
        Policy policy = randomPolicy(random);
        long micros = 0;

        for (int step = 0; step < 250; step++) {
            if (random.nextInt(25) == 0) {
                policy = randomPolicy(random);
            } else if (random.nextInt(12) == 0) {
                policy = edited(random, policy);
            }
            long gap = randomGap(random, policy);
            clock.advanceMicros(gap);
            micros += gap;
            boolean consume = random.nextInt(8) != 0;
            long cost = consume ? randomCost(random, policy) : 1;

            Decision expected = consume ? memory.consume(policy, key, cost) : memory.peek(policy, key);
            Decision actual = SCRIPT.decide(jedis, redisKey, policy, cost, consume, SERVER_EPOCH_MICROS + micros);

            assertThat(actual)
                    .as("seed %d step %d %s cost %d consume %s", seed, step, policy, cost, consume)
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void policyChange_whoseConversionPasses2To53_isExactOnBothEngines(long seed) {
        // old deficit * new units per token passes 2^53 here, which naive Lua arithmetic would round
        SplittableRandom random = new SplittableRandom(seed);
        TestClock clock = new TestClock();
        MemoryBackend memory = MemoryBackend.builder()
                .time(clock)
                .sweepIntervalMillis(1L << 40)
                .sweepExecutor(task -> {})
                .build();
        BucketKey key = BucketKey.of("big", Long.toString(seed));
        String redisKey = "diff:big:" + seed;
        jedis.del(redisKey);
        Policy before = Policy.of("p", Limit.of(1000, 999_999_937L, Duration.ofMillis(2_591_999_999L)));
        Policy after = Policy.of("p", Limit.of(3000, 999_999_929L, Duration.ofMillis(2_591_999_997L)));
        long micros = 0;

        for (int step = 0; step < 60; step++) {
            Policy policy = step % 2 == 0 ? before : after;
            long gap = random.nextLong(3_000_000);
            clock.advanceMicros(gap);
            micros += gap;
            long cost = 1 + random.nextLong(1000);

            Decision expected = memory.consume(policy, key, cost);
            Decision actual = SCRIPT.decide(jedis, redisKey, policy, cost, true, SERVER_EPOCH_MICROS + micros);

            assertThat(actual).as("seed %d step %d", seed, step).isEqualTo(expected);
        }
    }

    private static Policy randomPolicy(SplittableRandom random) {
        int n = 1 + random.nextInt(3);
        List<Limit> limits = new ArrayList<>();
        while (limits.size() < n) {
            try {
                limits.add(randomLimit(random));
            } catch (IllegalArgumentException tooFineForExactArithmetic) {
                // the engines reject such a limit alike; draw another
            }
        }
        return Policy.of("p", limits);
    }

    /** The policy with one edit: limits shuffled, one removed or added, one's capacity or rate changed. */
    private static Policy edited(SplittableRandom random, Policy policy) {
        List<Limit> limits = new ArrayList<>(policy.limits());
        int i = random.nextInt(limits.size());
        Limit l = limits.get(i);
        try {
            switch (random.nextInt(5)) {
                case 0 -> Collections.shuffle(limits, new Random(random.nextLong()));
                case 1 -> limits.remove(limits.size() > 1 ? i : limits.size());
                case 2 -> limits.add(random.nextInt(limits.size() + 1), randomLimit(random));
                case 3 ->
                    limits.set(i, Limit.of(1 + random.nextLong(l.capacity() * 2), l.refillTokens(), l.refillPeriod()));
                default ->
                    limits.set(i, Limit.of(l.capacity(), 1 + random.nextLong(l.refillTokens() * 2), l.refillPeriod()));
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException notExactOrTheOnlyLimit) {
            return policy;
        }
        return Policy.of("p", limits);
    }

    private static Limit randomLimit(SplittableRandom random) {
        long capacity =
                switch (random.nextInt(4)) {
                    case 0 -> 1 + random.nextInt(5);
                    case 1 -> 1 + random.nextInt(1000);
                    case 2 -> 1 + random.nextLong(3_000_000_000L);
                    default -> 1 + random.nextLong(1_000_000_000_000L);
                };
        long refill = random.nextBoolean() ? capacity : 1 + random.nextLong(Math.min(capacity * 2, 1_000_000_000L));
        long periodMillis =
                switch (random.nextInt(4)) {
                    case 0 -> 1 + random.nextInt(1000);
                    case 1 -> 1 + random.nextInt(60_000);
                    case 2 -> 3_600_000L * (1 + random.nextInt(24));
                    default -> 1 + random.nextLong(Duration.ofDays(30).toMillis());
                };
        return Limit.of(capacity, refill, Duration.ofMillis(periodMillis));
    }

    private static long randomGap(SplittableRandom random, Policy policy) {
        Limit first = policy.limits().get(0);
        long oneToken = Math.max(1, first.refillPeriodMillis() * 1000 / first.refillTokens());
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextLong(1000);
            case 2 -> random.nextLong(Math.min(oneToken * 3, 1L << 40) + 1);
            case 3 -> random.nextLong(first.refillPeriodMillis() * 1000 + 1);
            default -> random.nextLong(Duration.ofDays(40).toNanos() / 1000);
        };
    }

    private static long randomCost(SplittableRandom random, Policy policy) {
        long max = policy.maxCost();
        return random.nextBoolean() ? 1 + random.nextLong(Math.min(max, 3)) : 1 + random.nextLong(max);
    }
}
